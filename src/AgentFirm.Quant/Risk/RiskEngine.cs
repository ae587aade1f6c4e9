using System.Globalization;
using AgentFirm.Core;
using AgentFirm.Quant.Features;

namespace AgentFirm.Quant.Risk;

/// <summary>
/// The deterministic risk engine the risk grain wraps. It approves, shrinks or vetoes every proposal and
/// says why, tracks the day's starting equity and the peak, and halts the firm after the drawdown limit.
/// <para>Rules, in order:</para>
/// <list type="number">
/// <item>A proposal with an empty symbol, an unknown side, or a NaN, infinite or negative number (or a zero
/// quantity) is vetoed with the field named. Review never throws for a bad proposal.</item>
/// <item>The part of an order that moves the position toward flat (never past it) always passes: when
/// halted, killed, stale or over the daily loss too. An order that flips is split: its reducing part
/// passes and only the opening part is checked.</item>
/// <item>The opening part is vetoed while the kill switch is engaged, while halted by the drawdown limit,
/// after the daily loss limit (until the next UTC day), on stale data, or when it cannot be valued
/// (no positive equity, price or risk per unit; a held position without a mark).</item>
/// <item>While the drift circuit breaker is active (a feature reported by the drift monitor), the opening part
/// is vetoed, or capped at <see cref="RiskLimits.DriftOpeningScale"/> of it, with the drift named.</item>
/// <item>Otherwise it is shrunk to the largest quantity within every cap: per-trade risk, concentration,
/// gross and net exposure, and the loss budget (its stop risk and round-trip costs, with the book's exit
/// costs, within the share of what the drawdown and daily-loss limits leave that may be committed), all
/// measured after the order, with positions valued at the snapshot's marks
/// (the proposal's reference price stands in for a symbol with no mark). Zero capacity is a veto.</item>
/// </list>
/// Proposals in one review are sequential: each approved quantity counts against the limits for the next.
/// A purely reducing order can raise |net| (selling the long leg of a hedged book); it still passes
/// because it lowers gross exposure and risk. The net cap binds opening orders.
/// </summary>
public sealed class RiskEngine
{
    // Shrinking to less than this fraction of the asked quantity is dust from float rounding, not an order.
    private const double DustFraction = 1e-9;

    private double? _peak;
    private DateOnly? _day;
    private double? _dayStart;
    private bool _dailyLossTripped;
    private string? _dailyLossReason;
    private bool _drawdownHalted;
    private string? _drawdownReason;
    private bool _killed;
    private string? _killReason;
    private DateTimeOffset? _lastTime;
    private double? _lastEquity;
    private string? _lastResetBy;
    private DateTimeOffset? _lastResetAt;
    // Not persisted: after a restart the monitor re-raises drift once its live window refills.
    private readonly SortedDictionary<string, DriftEvent> _drift = new(StringComparer.Ordinal);

    public RiskEngine(RiskLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        limits.Validate();
        Limits = limits;
    }

    /// <summary>The limits fixed at start; the record is immutable and the engine has no setter for it.</summary>
    public RiskLimits Limits { get; }

    /// <summary>True after the drawdown limit or the kill switch, until a person calls <see cref="Reset"/>.</summary>
    public bool Halted => _drawdownHalted || _killed;

    public string? HaltReason => (_killed, _drawdownHalted) switch
    {
        (true, true) => $"kill switch: {_killReason}; {_drawdownReason}",
        (true, false) => $"kill switch: {_killReason}",
        (false, true) => _drawdownReason,
        _ => null,
    };

    public bool KillSwitchEngaged => _killed;
    public bool DailyLossTripped => _dailyLossTripped;
    public string? DailyLossReason => _dailyLossReason;
    public double? PeakEquity => _peak;
    public double? DayStartEquity => _dayStart;
    public string? LastResetBy => _lastResetBy;
    public DateTimeOffset? LastResetAt => _lastResetAt;

    /// <summary>
    /// Records equity at a time: the first observation of a UTC day sets that day's starting equity (and
    /// lifts the previous day's loss lock), the peak follows the highest equity, and the daily-loss lock
    /// and the drawdown halt trip here. A non-finite equity or a time before the last one is ignored (a
    /// late message must not roll the day back).
    /// </summary>
    public void Observe(DateTimeOffset time, double equity)
    {
        if (!double.IsFinite(equity)) return;
        if (_lastTime is { } last && time < last) return;
        _lastTime = time;
        _lastEquity = equity;

        var day = DateOnly.FromDateTime(time.UtcDateTime);
        if (_day is null || day > _day)
        {
            _day = day;
            _dayStart = equity;
            _dailyLossTripped = false;
            _dailyLossReason = null;
        }

        _peak = _peak is { } p ? Math.Max(p, equity) : equity;

        var dayStart = _dayStart!.Value;
        if (!_dailyLossTripped && equity < dayStart * (1 - Limits.DailyLossLimit))
        {
            _dailyLossTripped = true;
            _dailyLossReason = Inv($"daily loss limit: equity {equity:0.00} is {Pct(1 - equity / dayStart)} below the UTC day's start {dayStart:0.00} ({day:yyyy-MM-dd}), limit {Pct(Limits.DailyLossLimit)}");
        }

        var peak = _peak.Value;
        if (!_drawdownHalted && equity < peak * (1 - Limits.MaxDrawdown))
        {
            _drawdownHalted = true;
            _drawdownReason = Inv($"max drawdown: equity {equity:0.00} is {Pct(1 - equity / peak)} below the peak {peak:0.00} at {time:yyyy-MM-dd HH:mm}Z, limit {Pct(Limits.MaxDrawdown)}; flatten and wait for a person to reset");
        }
    }

    /// <summary>
    /// How much more the book may lose from <paramref name="equity"/> before the daily-loss or the drawdown
    /// limit trips (the smaller of the two; 0 once either has tripped or nothing was observed yet).
    /// Protective stops are set so that all of them together lose at most this.
    /// </summary>
    public double RemainingLossBudget(double equity)
    {
        if (_peak is not { } peak || _dayStart is not { } dayStart || !double.IsFinite(equity)) return 0;
        if (_drawdownHalted || _killed || _dailyLossTripped) return 0;
        var budget = Math.Min(equity - peak * (1 - Limits.MaxDrawdown), equity - dayStart * (1 - Limits.DailyLossLimit));
        return Math.Max(0, budget);
    }

    /// <summary>
    /// What stops and opening orders may commit: <see cref="RiskLimits.LossBudgetUse"/> of the remaining loss
    /// budget, less the exit costs of a book worth <paramref name="heldNotional"/> (never below 0).
    /// </summary>
    public double CommittableLossBudget(double equity, double heldNotional) =>
        Math.Max(0, Limits.LossBudgetUse * RemainingLossBudget(equity) - Limits.ExitCostBps / 10_000 * Math.Abs(heldNotional));

    /// <summary>
    /// The equity below which a limit that has not tripped yet would trip: between decisions the driver
    /// needs to call <see cref="CheckBetweenDecisions"/> only when equity falls below it. Negative infinity
    /// when nothing is left to guard (halted, both limits tripped, or nothing observed).
    /// </summary>
    public double GuardFloor
    {
        get
        {
            if (_peak is not { } peak || _dayStart is not { } dayStart || Halted) return double.NegativeInfinity;
            var drawdown = peak * (1 - Limits.MaxDrawdown);
            return _dailyLossTripped ? drawdown : Math.Max(drawdown, dayStart * (1 - Limits.DailyLossLimit));
        }
    }

    /// <summary>
    /// Marks equity between two decisions (at a finer bar's close or a tick). Returns the reason when this
    /// observation tripped the drawdown halt or the daily-loss lock: the caller then flattens the book at the
    /// next executable price. The peak is the same as at decisions, so a limit trips at the same level.
    /// </summary>
    public string? CheckBetweenDecisions(DateTimeOffset time, double equity)
    {
        // Above the floor nothing can trip; not observing it keeps the peak a decision-time peak.
        if (!(equity < GuardFloor)) return null;
        var (halted, daily) = (_drawdownHalted, _dailyLossTripped);
        Observe(time, equity);
        if (_drawdownHalted && !halted) return _drawdownReason;
        if (_dailyLossTripped && !daily) return _dailyLossReason;
        return null;
    }

    /// <summary>True while at least one feature is reported drifting: the drift circuit breaker is open.</summary>
    public bool DriftActive => _drift.Count > 0;

    /// <summary>The drifting features, for the reason text and the dashboard; null when none.</summary>
    public string? DriftReason => _drift.Count == 0 ? null : string.Join("; ", _drift.Values.Select(d => d.ToString()));

    /// <summary>Opens the drift circuit breaker for the event's feature (a later event for it replaces the first).</summary>
    public void ReportDrift(DriftEvent drift)
    {
        ArgumentNullException.ThrowIfNull(drift);
        _drift[drift.Feature] = drift;
    }

    /// <summary>The monitor found the feature back in distribution; the breaker closes when no feature is left.</summary>
    public void ClearDrift(string feature) => _drift.Remove(feature);

    /// <summary>Halts all opening orders until a person calls <see cref="Reset"/>. Never throws.</summary>
    public void EngageKillSwitch(string reason)
    {
        _killed = true;
        _killReason = string.IsNullOrWhiteSpace(reason) ? "engaged without a reason" : reason.Trim();
    }

    /// <summary>
    /// A person lifts the drawdown halt and the kill switch. The peak restarts at the last observed equity
    /// (the person accepts the loss; otherwise the next observation would halt again). The daily-loss lock
    /// stays until the next UTC day: it is a separate limit that lifts itself.
    /// </summary>
    public void Reset(string operatorName)
    {
        if (string.IsNullOrWhiteSpace(operatorName))
            throw new ArgumentException("Reset needs the name of the person who resets the risk engine.", nameof(operatorName));
        _drawdownHalted = false;
        _drawdownReason = null;
        _killed = false;
        _killReason = null;
        _peak = _lastEquity;
        _lastResetBy = operatorName.Trim();
        _lastResetAt = _lastTime;
    }

    /// <summary>
    /// Reviews proposals in order against the snapshot (observed first, so the day and the peak are current).
    /// Each approved quantity is applied to a working copy of the book before the next proposal is checked.
    /// </summary>
    public IReadOnlyList<RiskVerdict> Review(PortfolioSnapshot portfolio, IReadOnlyList<OrderProposal> proposals)
    {
        ArgumentNullException.ThrowIfNull(portfolio);
        ArgumentNullException.ThrowIfNull(proposals);
        Observe(portfolio.Time, portfolio.Equity);

        var book = new WorkingBook(portfolio);
        var verdicts = new List<RiskVerdict>(proposals.Count);
        foreach (var proposal in proposals)
        {
            var verdict = ReviewOne(proposal, book, portfolio);
            verdicts.Add(verdict);
            if (verdict.ApprovedQuantity > 0)
                book.Apply(proposal.Symbol, proposal.Side.Sign() * verdict.ApprovedQuantity, proposal.ReferencePrice);
        }
        return verdicts;
    }

    /// <summary>Orders that close every open position (what the firm sends when halted), in symbol order.</summary>
    public IReadOnlyList<OrderProposal> Flatten(PortfolioSnapshot portfolio, string reason)
    {
        ArgumentNullException.ThrowIfNull(portfolio);
        var origin = $"risk: flatten ({(string.IsNullOrWhiteSpace(reason) ? "no reason given" : reason.Trim())})";
        var orders = new List<OrderProposal>();
        foreach (var (symbol, quantity) in portfolio.Positions.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            // A NaN position cannot be closed by quantity; the review vetoes anything on it with that reason.
            if (quantity == 0 || !double.IsFinite(quantity)) continue;
            var price = portfolio.Marks.TryGetValue(symbol, out var m) && double.IsFinite(m) && m > 0 ? m : 0;
            orders.Add(new OrderProposal(symbol, quantity > 0 ? OrderSide.Sell : OrderSide.Buy, Math.Abs(quantity), price, 0, origin));
        }
        return orders;
    }

    public RiskEngineState Export() => new()
    {
        PeakEquity = _peak,
        Day = _day,
        DayStartEquity = _dayStart,
        DailyLossTripped = _dailyLossTripped,
        DailyLossReason = _dailyLossReason,
        DrawdownHalted = _drawdownHalted,
        DrawdownReason = _drawdownReason,
        KillSwitchEngaged = _killed,
        KillSwitchReason = _killReason,
        LastObservedTime = _lastTime,
        LastObservedEquity = _lastEquity,
        LastResetBy = _lastResetBy,
        LastResetAt = _lastResetAt,
    };

    /// <summary>Restores an engine from persisted state; the limits come from configuration, not from the state.</summary>
    public static RiskEngine Import(RiskLimits limits, RiskEngineState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return new RiskEngine(limits)
        {
            _peak = state.PeakEquity,
            _day = state.Day,
            _dayStart = state.DayStartEquity,
            _dailyLossTripped = state.DailyLossTripped,
            _dailyLossReason = state.DailyLossReason,
            _drawdownHalted = state.DrawdownHalted,
            _drawdownReason = state.DrawdownReason,
            _killed = state.KillSwitchEngaged,
            _killReason = state.KillSwitchReason,
            _lastTime = state.LastObservedTime,
            _lastEquity = state.LastObservedEquity,
            _lastResetBy = state.LastResetBy,
            _lastResetAt = state.LastResetAt,
        };
    }

    private RiskVerdict ReviewOne(OrderProposal p, WorkingBook book, PortfolioSnapshot portfolio)
    {
        if (Problem(p) is { } problem) return Veto(p, $"vetoed: invalid proposal: {problem}");

        var position = book.Position(p.Symbol);
        if (!double.IsFinite(position))
            return Veto(p, Inv($"vetoed: the {p.Symbol} position is {position}; cannot tell reducing from opening"));

        var sign = p.Side.Sign();
        var reducing = position * sign < 0 ? Math.Min(p.Quantity, Math.Abs(position)) : 0;
        var opening = p.Quantity - reducing;
        // An order that closes a position to within float dust is a close, not a flip.
        if (reducing > 0 && opening <= 1e-12 * Math.Max(1, Math.Abs(position))) opening = 0;
        if (opening == 0)
            return new RiskVerdict(p, RiskDecision.Approve, p.Quantity,
                Inv($"approved: reduces {p.Symbol} from {Qty(position)} to {Qty(position + sign * p.Quantity)}; risk-reducing orders always pass"));

        var (allowed, binding, summary) = OpeningAllowance(p, opening, position + sign * reducing, book, portfolio);
        if (allowed <= opening * DustFraction) allowed = 0;
        if (allowed >= opening) allowed = opening;
        var approved = reducing + allowed;
        var reducingNote = reducing > 0 ? Inv($"; the reducing part ({Qty(reducing)}) passes") : "";

        // approved can round up to the full quantity when the shortfall is below the sum's float resolution.
        if (allowed == opening || approved >= p.Quantity)
            return new RiskVerdict(p, RiskDecision.Approve, p.Quantity, $"approved: {summary}{reducingNote}");
        if (approved == 0)
            return Veto(p, $"vetoed: {binding}");
        return new RiskVerdict(p, RiskDecision.Shrink, approved,
            Inv($"shrunk to {Qty(approved)} of {Qty(p.Quantity)}: {(allowed == 0 ? "opening part vetoed: " : "")}{binding}{reducingNote}"));
    }

    /// <summary>
    /// How much of the opening part may pass, the binding limit with its numbers, and a summary of the
    /// post-trade figures when nothing binds. <paramref name="afterReducing"/> has the order's sign or is 0.
    /// </summary>
    private (double Allowed, string Binding, string Summary) OpeningAllowance(
        OrderProposal p, double opening, double afterReducing, WorkingBook book, PortfolioSnapshot portfolio)
    {
        var symbol = p.Symbol;
        if (_killed) return (0, $"kill switch engaged: {_killReason}", "");
        if (_drawdownHalted) return (0, $"halted: {_drawdownReason}", "");
        if (_dailyLossTripped) return (0, $"{_dailyLossReason}; only risk-reducing orders until the next UTC day", "");
        if (Stale(symbol, portfolio) is { } stale) return (0, stale, "");
        if (DriftActive && Limits.DriftOpeningScale == 0)
            return (0, $"drift circuit breaker: {DriftReason}; no new exposure until the features are back in distribution", "");

        var equity = portfolio.Equity;
        if (!double.IsFinite(equity) || equity <= 0)
            return (0, Inv($"equity is {equity}; opening orders need positive finite equity"), "");
        if (book.Price(symbol, p.ReferencePrice) is not { } price)
            return (0, $"no positive mark or reference price for {symbol} to value the order", "");
        if (p.RiskPerUnit <= 0)
            return (0, Inv($"risk per unit is {p.RiskPerUnit}; an opening order needs a stop distance to size its risk"), "");
        if (book.ExposureExcluding(symbol) is not { } others)
            return (0, $"cannot value the book: {book.ValuationProblem(symbol)}", "");

        var held = Math.Abs(afterReducing);
        var sign = p.Side.Sign();
        var l = Limits;
        // Every cap has the form capacity / price - held: the units this symbol can still add.
        var caps = new (double Units, string Name, double Limit, double WouldBe)[]
        {
            (l.MaxRiskPerTrade * equity / p.RiskPerUnit, "trade risk", l.MaxRiskPerTrade, opening * p.RiskPerUnit / equity),
            (l.MaxConcentration * equity / price - held, $"{symbol} concentration", l.MaxConcentration, (held + opening) * price / equity),
            ((l.MaxGrossExposure * equity - others.Gross) / price - held, "gross exposure", l.MaxGrossExposure, (others.Gross + (held + opening) * price) / equity),
            ((l.MaxNetExposure * equity - sign * others.Net) / price - held, "net exposure", l.MaxNetExposure, Math.Abs(others.Net + sign * (held + opening) * price) / equity),
            LossBudgetCap(p, opening, price, equity, others.Gross + held * price),
        };

        var binding = 0;
        for (var i = 1; i < caps.Length; i++)
            if (caps[i].Units < caps[binding].Units) binding = i;
        var b = caps[binding];
        var bindingText = b.Name switch
        {
            "trade risk" => Inv($"trade risk would be {Pct(b.WouldBe)} of equity ({Qty(opening)} x {p.RiskPerUnit:0.########} per unit), limit {Pct(b.Limit)}"),
            LossBudget => Inv($"loss budget: the stop risk and round-trip costs of {Qty(opening)} plus the exit of the book would lose {b.WouldBe:0.00}, {Pct(b.WouldBe / equity)} of equity, and only {b.Limit:0.00} may be committed ({Pct(Limits.LossBudgetUse)} of what is left before the drawdown or daily-loss limit)"),
            _ => Inv($"{b.Name} would be {b.WouldBe:0.00}x equity, limit {b.Limit:0.00}x"),
        };
        var summary = Inv($"trade risk {Pct(caps[0].WouldBe)}/{Pct(l.MaxRiskPerTrade)}, {symbol} {caps[1].WouldBe:0.00}x/{l.MaxConcentration:0.00}x, gross {caps[2].WouldBe:0.00}x/{l.MaxGrossExposure:0.00}x, net {caps[3].WouldBe:0.00}x/{l.MaxNetExposure:0.00}x of equity");
        var allowed = Math.Max(0, b.Units);
        if (DriftActive && opening * Limits.DriftOpeningScale < allowed)
            return (opening * Limits.DriftOpeningScale, $"drift circuit breaker: {DriftReason}; opening orders capped at {Pct(Limits.DriftOpeningScale)} of their size", "");
        return (allowed, bindingText, summary);
    }

    private const string LossBudget = "loss budget";

    /// <summary>
    /// Units the opening part may take so that being stopped out loses no more than the limits leave: its stop
    /// risk plus its entry and exit costs, after reserving the exit costs of the book already held
    /// (<paramref name="heldNotional"/>). Stops then fit the rest (<see cref="ProtectiveStops"/>), so only a
    /// price gap past a stop can carry equity through a limit.
    /// </summary>
    private (double Units, string Name, double Limit, double WouldBe) LossBudgetCap(OrderProposal p, double opening, double price, double equity, double heldNotional)
    {
        var cost = Limits.ExitCostBps / 10_000;
        var perUnit = p.RiskPerUnit + 2 * cost * price;
        var units = CommittableLossBudget(equity, heldNotional) / perUnit;
        return (units, LossBudget, Limits.LossBudgetUse * RemainingLossBudget(equity), opening * perUnit + cost * heldNotional);
    }

    private string? Stale(string symbol, PortfolioSnapshot portfolio)
    {
        var tf = portfolio.Timeframe.Duration;
        if (tf <= TimeSpan.Zero) return $"stale data: the snapshot's timeframe {tf} is not positive";
        if (!portfolio.LastBarClose.TryGetValue(symbol, out var lastClose))
            return $"stale data: no bar has closed for {symbol}";
        var age = portfolio.Time - lastClose;
        var limit = tf * Limits.StaleAfterBars;
        return age > limit
            ? Inv($"stale data: the last {symbol} bar closed at {lastClose:yyyy-MM-dd HH:mm}Z, {age.TotalHours:0.##}h before the decision, limit {Limits.StaleAfterBars} x {portfolio.Timeframe}")
            : null;
    }

    private static string? Problem(OrderProposal p)
    {
        if (p is null) return "the proposal is null";
        if (string.IsNullOrWhiteSpace(p.Symbol)) return "symbol is empty";
        if (!Enum.IsDefined(p.Side)) return Inv($"side {(int)p.Side} is not Buy or Sell");
        if (!double.IsFinite(p.Quantity) || p.Quantity <= 0) return Inv($"quantity is {p.Quantity}; it must be a positive finite number");
        if (!double.IsFinite(p.ReferencePrice) || p.ReferencePrice < 0) return Inv($"reference price is {p.ReferencePrice}; it must be a finite number >= 0");
        if (!double.IsFinite(p.RiskPerUnit) || p.RiskPerUnit < 0) return Inv($"risk per unit is {p.RiskPerUnit}; it must be a finite number >= 0");
        return null;
    }

    private static RiskVerdict Veto(OrderProposal p, string reason) => new(p, RiskDecision.Veto, 0, reason);

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static string Pct(double fraction) => (fraction * 100).ToString("0.00", CultureInfo.InvariantCulture) + "%";

    private static string Qty(double quantity) => quantity.ToString("0.########", CultureInfo.InvariantCulture);

    /// <summary>Positions and marks as the review goes: approved quantities are applied before the next proposal.</summary>
    private sealed class WorkingBook
    {
        private readonly Dictionary<string, double> _positions;
        private readonly Dictionary<string, double> _marks = new(StringComparer.Ordinal);

        public WorkingBook(PortfolioSnapshot portfolio)
        {
            _positions = new Dictionary<string, double>(portfolio.Positions, StringComparer.Ordinal);
            foreach (var (symbol, mark) in portfolio.Marks)
                if (double.IsFinite(mark) && mark > 0) _marks[symbol] = mark;
        }

        public double Position(string symbol) => _positions.GetValueOrDefault(symbol);

        /// <summary>The mark, or the proposal's reference price when the symbol has no usable mark.</summary>
        public double? Price(string symbol, double reference) =>
            _marks.TryGetValue(symbol, out var m) ? m : reference > 0 ? reference : null;

        /// <summary>Gross and net notional of every other symbol, or null when one of them cannot be valued.</summary>
        public (double Gross, double Net)? ExposureExcluding(string symbol)
        {
            double gross = 0, net = 0;
            foreach (var (s, q) in _positions)
            {
                if (q == 0 || s == symbol) continue;
                if (!double.IsFinite(q) || !_marks.TryGetValue(s, out var m)) return null;
                gross += Math.Abs(q * m);
                net += q * m;
            }
            return (gross, net);
        }

        public string ValuationProblem(string symbol)
        {
            foreach (var (s, q) in _positions)
            {
                if (q == 0 || s == symbol) continue;
                if (!double.IsFinite(q)) return Inv($"the {s} position is {q}");
                if (!_marks.ContainsKey(s)) return $"the {s} position has no positive finite mark";
            }
            return "unknown";
        }

        public void Apply(string symbol, double signedQuantity, double referencePrice)
        {
            var before = Position(symbol);
            var after = before + signedQuantity;
            // Snap float dust so a full close leaves the working book flat.
            if (Math.Abs(after) <= 1e-12 * Math.Max(1, Math.Abs(before))) after = 0;
            _positions[symbol] = after;
            if (!_marks.ContainsKey(symbol) && referencePrice > 0) _marks[symbol] = referencePrice;
        }
    }
}
