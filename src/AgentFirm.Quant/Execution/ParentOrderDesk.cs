using AgentFirm.Core;
using AgentFirm.Quant.Backtest;

namespace AgentFirm.Quant.Execution;

/// <summary>
/// Works parent orders inside the backtest engine, through the strategy context: each time the engine calls the
/// strategy (a decision close, or a finer bar inside it when the run has sub-bars) the desk sends the child orders
/// due by then. TWAP sends market children toward the straight-line target <c>elapsed / horizon</c>; VWAP toward the
/// share of the horizon's usual volume traded by then, from an intraday profile learned on the finer bars of the
/// <see cref="VwapLookbackDays"/> days before the decision's day (TWAP's line when the run has no finer bars or
/// no past day yet); limit-peg rests a limit at the last close and
/// swaps what is left for a market order at half the horizon. At the horizon every schedule has sent all of its
/// quantity. Children reach the venue after the engine's usual latency, so none trades before its decision.
/// Without finer bars the only calls are decision closes, so a one-bar schedule would send everything one bar
/// late: use it with sub-bars (the CLI's --intrabar).
/// </summary>
public sealed class ParentOrderDesk
{
    private readonly List<Working> _working = new();

    /// <summary>Past days of finer bars a VWAP profile averages.</summary>
    public int VwapLookbackDays { get; init; } = 20;

    public int Active => _working.Count;

    /// <summary>
    /// Takes a parent decided now; its first child goes out at once (the first slice, or the resting limit).
    /// <paramref name="journal"/>, when given, collects the child order ids and learns when the schedule is done.
    /// </summary>
    public void Start(IStrategyContext context, string symbol, OrderSide side, double quantity, AlgorithmKind algorithm, TimeSpan horizon, string tag,
        JournalParent? journal = null)
    {
        if (!(quantity > 0)) return;
        if (algorithm == AlgorithmKind.Market || horizon <= TimeSpan.Zero)
        {
            journal?.Children.Add(context.Submit(symbol, side, quantity, OrderType.Market, tag: tag));
            return;
        }
        var w = new Working(symbol, side, quantity, algorithm, context.Now, horizon, tag, journal);
        if (algorithm == AlgorithmKind.Vwap) w.VolumeCurve = VolumeCurve(context, symbol, horizon);
        if (journal is not null) journal.Scheduling = true;
        if (algorithm == AlgorithmKind.LimitPeg)
            w.LimitId = w.Send(context, quantity, OrderType.Limit, context.Bars(symbol).Latest.Close, tag + "/rest");
        _working.Add(w);
        if (Step(context, w)) Finish(w);
    }

    /// <summary>Sends what is due now for every working parent; drops those that are done.</summary>
    public void Advance(IStrategyContext context)
    {
        for (var n = _working.Count - 1; n >= 0; n--)
            if (Step(context, _working[n]))
            {
                Finish(_working[n]);
                _working.RemoveAt(n);
            }
    }

    /// <summary>
    /// Drops every parent's unsent part and cancels resting peg limits: a new decision re-plans from the position
    /// as it is, and a risk flatten must not be undone by slices still due.
    /// </summary>
    public void SupersedeAll(IStrategyContext context)
    {
        foreach (var w in _working)
        {
            if (w.LimitId > 0 && context.OpenOrders.Any(o => o.Order.Id == w.LimitId)) context.Cancel(w.LimitId);
            Finish(w);
        }
        _working.Clear();
    }

    /// <summary>
    /// Cumulative target share per finer-bar step of the horizon: entry m is what should have been sent after m steps,
    /// in proportion to the usual volume of the bars those m slices trade on (a slice sent at a bar's close reaches
    /// the venue on the next bar). Null when there are no finer bars to learn from or their spacing does not divide a day.
    /// </summary>
    private double[]? VolumeCurve(IStrategyContext context, string symbol, TimeSpan horizon)
    {
        if (context.SubBars(symbol) is not { Count: > 0 } finer) return null;
        var step = finer.Latest.Duration;
        if (step <= TimeSpan.Zero || TimeSpan.TicksPerDay % step.Ticks != 0 || horizon.Ticks % step.Ticks != 0) return null;
        var slotsPerDay = (int)(TimeSpan.TicksPerDay / step.Ticks);
        var past = finer.AsSpan();
        var recent = past[Math.Max(0, past.Length - (VwapLookbackDays + 1) * slotsPerDay)..].ToArray();
        var profile = IntradayVolumeProfile.Learn(recent, context.Now, step, VwapLookbackDays);
        var steps = (int)(horizon.Ticks / step.Ticks);
        var curve = new double[steps + 1];
        for (var m = 1; m <= steps; m++) curve[m] = curve[m - 1] + profile.Share(context.Now + m * step);
        var total = curve[steps];
        for (var m = 1; m <= steps; m++) curve[m] = total > 0 ? curve[m] / total : (double)m / steps;
        curve[steps] = 1;
        return curve;
    }

    private static void Finish(Working w)
    {
        if (w.Journal is not null) w.Journal.Scheduling = false;
    }

    /// <summary>Returns true once the parent has nothing left to send.</summary>
    private static bool Step(IStrategyContext context, Working w)
    {
        var elapsed = Math.Clamp((context.Now - w.Start) / w.Horizon, 0, 1);
        if (w.Algorithm == AlgorithmKind.LimitPeg)
        {
            if (elapsed < 0.5) return false;
            // Timeout: cancel the rest of the limit and cross for what did not fill.
            var resting = context.OpenOrders.FirstOrDefault(o => o.Order.Id == w.LimitId);
            if (resting is null) return true;
            var left = resting.RemainingQuantity;
            context.Cancel(w.LimitId);
            if (left > 0) w.Send(context, left, OrderType.Market, null, w.Tag + "/fallback");
            return true;
        }
        var due = Math.Max(0, w.Quantity * w.TargetShare(context.Now, elapsed) - w.Sent);
        // Slices below a millionth of the parent wait for the next step rather than spamming the venue.
        if (due > 1e-6 * w.Quantity)
        {
            w.Send(context, due, OrderType.Market, null, w.Tag);
            w.Sent += due;
        }
        return w.Sent >= w.Quantity * (1 - 1e-9);
    }

    private sealed class Working(string symbol, OrderSide side, double quantity, AlgorithmKind algorithm, DateTimeOffset start, TimeSpan horizon, string tag,
        JournalParent? journal)
    {
        public string Symbol { get; } = symbol;
        public OrderSide Side { get; } = side;
        public double Quantity { get; } = quantity;
        public AlgorithmKind Algorithm { get; } = algorithm;
        public DateTimeOffset Start { get; } = start;
        public TimeSpan Horizon { get; } = horizon;
        public string Tag { get; } = tag;
        public JournalParent? Journal { get; } = journal;
        /// <summary>VWAP's cumulative target per finer-bar step; null paces the straight line.</summary>
        public double[]? VolumeCurve { get; set; }
        public double Sent { get; set; }
        public long LimitId { get; set; }

        public double TargetShare(DateTimeOffset now, double elapsed)
        {
            if (VolumeCurve is null) return elapsed;
            var steps = VolumeCurve.Length - 1;
            var done = (int)Math.Clamp((now - Start).Ticks / (Horizon.Ticks / steps), 0, steps);
            return VolumeCurve[done];
        }

        /// <summary>Sends a child of this parent and notes its id in the journal.</summary>
        public long Send(IStrategyContext context, double quantity, OrderType type, double? limit, string childTag)
        {
            var id = context.Submit(Symbol, Side, quantity, type, limit, tag: childTag);
            Journal?.Children.Add(id);
            return id;
        }
    }
}
