using AgentFirm.Core;

namespace AgentFirm.Quant.Execution;

/// <summary>The outcome of working one parent order.</summary>
public sealed record ParentOrderResult(ParentOrder Parent, string Algorithm, int Steps, IReadOnlyList<ChildFill> Fills, ImplementationShortfall Shortfall);

/// <summary>
/// Works parent orders over the sub-bars of a venue. A parent decided at time t trades only on sub-bars that open
/// at or after t (the decision saw the bar that closed at t, never one that opened before it and closes after),
/// and only on those that open before t + horizon. Its arrival price is the open of the first of them (the mid
/// when the order reaches the venue); its end price, for what did not fill, the close of the last.
/// </summary>
public sealed class ParentOrderSimulator(VenueModel venue)
{
    public VenueModel Venue { get; } = venue;

    /// <summary>Works <paramref name="parent"/> on <paramref name="subBars"/> (ascending) with <paramref name="algorithm"/>.</summary>
    public ParentOrderResult Work(ParentOrder parent, Bar[] subBars, IExecutionAlgorithm algorithm)
    {
        parent.Validate();
        Venue.Validate();
        var first = FirstAtOrAfter(subBars, parent.DecisionTime);
        var end = parent.DecisionTime + parent.Horizon;
        var last = first;
        while (last < subBars.Length && subBars[last].Time < end) last++;
        var steps = last - first;
        if (steps == 0)
            throw new ArgumentException($"{parent.Symbol}: no sub-bar opens between the decision at {parent.DecisionTime:O} and {end:O}; nothing can trade.");

        var times = new DateTimeOffset[steps];
        for (var k = 0; k < steps; k++) times[k] = subBars[first + k].Time;
        // History: bars closed by the decision; a bar still open at the decision is left out.
        var known = first;
        while (known > 0 && subBars[known - 1].CloseTime > parent.DecisionTime) known--;
        algorithm.Begin(new ParentStart(parent, times, new ArraySegment<Bar>(subBars, 0, known)));

        var book = new Book(Venue, parent.Side);
        var fills = new List<ChildFill>();
        var remaining = parent.Quantity;
        var lastClose = known > 0 ? subBars[known - 1].Close : parent.DecisionPrice;
        for (var k = 0; k < steps && remaining > 1e-12 * parent.Quantity; k++)
        {
            var i = first + k;
            var state = new ExecutionState(k, steps, parent.Quantity, remaining, lastClose,
                RecentVolume(subBars, i), RecentVolatility(subBars, i), Venue.Costs.SpreadBps, book.Resting, book.QueueAhead);
            var child = algorithm.Next(state);
            book.Apply(child, remaining, lastClose, state.RecentVolume);
            remaining -= book.Trade(subBars[i], fills);
            lastClose = subBars[i].Close;
        }
        var shortfall = ImplementationShortfall.From(parent, subBars[first].Open, subBars[last - 1].Close, fills);
        return new ParentOrderResult(parent, algorithm.Name, steps, fills, shortfall);
    }

    private static int FirstAtOrAfter(Bar[] bars, DateTimeOffset time)
    {
        int lo = 0, hi = bars.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (bars[mid].Time < time) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    private double RecentVolume(Bar[] bars, int i)
    {
        var from = Math.Max(0, i - Venue.RecentSteps);
        if (from == i) return 0;
        double sum = 0;
        for (var j = from; j < i; j++) sum += bars[j].Volume;
        return sum / (i - from);
    }

    private double RecentVolatility(Bar[] bars, int i) => CloseToCloseVolatility(bars, Math.Max(0, i - Venue.RecentSteps - 1), i);

    /// <summary>
    /// Sample standard deviation of the close-to-close log returns of bars[from..to) (0 with fewer than two returns);
    /// pairs with a non-positive close are skipped.
    /// </summary>
    public static double CloseToCloseVolatility(IReadOnlyList<Bar> bars, int from, int to)
    {
        double sum = 0, sq = 0;
        var n = 0;
        for (var j = from + 1; j < to; j++)
        {
            if (!(bars[j].Close > 0) || !(bars[j - 1].Close > 0)) continue;
            var r = Math.Log(bars[j].Close / bars[j - 1].Close);
            sum += r;
            sq += r * r;
            n++;
        }
        if (n < 2) return 0;
        var mean = sum / n;
        return Math.Sqrt(Math.Max(0, (sq - n * mean * mean) / (n - 1)));
    }

    /// <summary>The parent's one resting passive child and the market child of the current step.</summary>
    private sealed class Book(VenueModel venue, OrderSide side)
    {
        private readonly int _sign = side.Sign();
        private double _limit;
        private double _market;
        public double Resting { get; private set; }
        public double QueueAhead { get; private set; }

        public void Apply(ChildOrder child, double remaining, double lastClose, double recentVolume)
        {
            _market = 0;
            switch (child.Aggression)
            {
                case Aggression.Hold:
                    Resting = Math.Min(Resting, remaining);
                    break;
                case Aggression.Market:
                    Resting = 0;
                    _market = Math.Min(child.Quantity, remaining);
                    break;
                case Aggression.Passive:
                    var quantity = Math.Min(child.Quantity, remaining);
                    // The near touch as known now: half a spread below the last close for a buy, above for a sell.
                    var touch = lastClose * (1 - _sign * venue.Costs.SpreadBps / 2 / 10_000);
                    var moved = Resting <= 0 || Math.Abs(touch - _limit) > child.RepegBps / 10_000 * _limit;
                    if (moved || quantity > Resting + 1e-12 * quantity)
                    {
                        _limit = touch;
                        QueueAhead = venue.QueueAheadShare * recentVolume; // to the back of the queue
                    }
                    Resting = quantity;
                    break;
            }
        }

        /// <summary>Trades the step's children on <paramref name="bar"/>; returns the quantity filled.</summary>
        public double Trade(Bar bar, List<ChildFill> fills)
        {
            if (!(bar.Volume > 0)) return 0;
            var room = venue.ParticipationCap * bar.Volume;
            double filled = 0;
            if (Resting > 0)
            {
                var through = VolumeThrough(bar);
                var cleared = Math.Min(QueueAhead, through);
                QueueAhead -= cleared;
                var quantity = Math.Min(Math.Min(Resting, through - cleared), room);
                if (quantity > 0)
                {
                    fills.Add(new ChildFill(bar.Time, quantity, _limit, quantity * _limit * venue.Costs.MakerFeeBps / 10_000, 0, IsMaker: true));
                    Resting -= quantity;
                    room -= quantity;
                    filled += quantity;
                }
            }
            if (_market > 0 && room > 0)
            {
                var quantity = Math.Min(_market, room);
                var move = bar.Open * venue.Costs.AggressiveCostFraction(quantity / bar.Volume);
                var price = bar.Open + _sign * move;
                fills.Add(new ChildFill(bar.Time, quantity, price, quantity * price * venue.Costs.TakerFeeBps / 10_000, quantity * move, IsMaker: false));
                filled += quantity;
            }
            _market = 0;
            return filled;
        }

        /// <summary>Volume that traded strictly beyond the limit (below a bid, above an ask), spread evenly over the range.</summary>
        private double VolumeThrough(Bar bar)
        {
            var beyond = _sign > 0 ? _limit - bar.Low : bar.High - _limit;
            if (!(beyond > 0)) return 0; // a touch is not a trade through
            var range = bar.High - bar.Low;
            return range > 0 ? bar.Volume * Math.Min(1, beyond / range) : bar.Volume;
        }
    }
}
