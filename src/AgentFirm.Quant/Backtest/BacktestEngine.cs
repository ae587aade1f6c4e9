using AgentFirm.Core;

namespace AgentFirm.Quant.Backtest;

/// <summary>One instrument's bars for a backtest, ascending by time.</summary>
public sealed record MarketSeries(Instrument Instrument, IReadOnlyList<Bar> Bars)
{
    /// <summary>
    /// Finer bars of the same instrument (hourly bars inside a daily run), ascending; null when there are
    /// none. Orders then trade on the sub-bars inside each decision bar, so a stop fills where the finer path
    /// first crossed it, and an <see cref="IIntrabarStrategy"/> can act after each sub-bar. A decision bar
    /// with no sub-bar inside it trades on the bar itself and is counted as missing finer data.
    /// </summary>
    public IReadOnlyList<Bar>? SubBars { get; init; }
}

/// <summary>
/// Event-driven backtest on one clock. At each decision time (a bar close) the engine first executes
/// the orders that became eligible on the bars just closed, settles perpetual funding and marks the
/// account, then hands the strategy the as-of view. An order decided at time t reaches the venue
/// <see cref="BacktestOptions.LatencyBars"/> bars later, so it can only trade on prices after t.
/// The same engine type serves every strategy, from buy-and-hold to the agent firm.
/// With <see cref="BacktestOptions.TradeFrom"/> the bars before it are warm-up: the strategy sees them,
/// its orders are dropped and counted, and nothing is recorded until the first bar opening at TradeFrom.
/// </summary>
public sealed class BacktestEngine(BacktestOptions options)
{
    public BacktestOptions Options { get; } = options;

    public async Task<BacktestResult> RunAsync(IReadOnlyList<MarketSeries> market, IStrategy strategy,
        IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        Options.Validate();
        var run = new Run(Options, market, strategy);
        return await run.ExecuteAsync(progress, cancellationToken);
    }

    private sealed class Run : IStrategyContext, IPortfolioView
    {
        private readonly BacktestOptions _options;
        private readonly IStrategy _strategy;
        private readonly Instrument[] _instruments;
        private readonly Bar[][] _bars;
        private readonly Dictionary<string, int> _index;
        private readonly AsOfSeries<Bar>[] _series;
        private readonly SimulationClock _clock;
        private readonly Account _account;
        private readonly List<WorkingOrder>[] _working;
        private readonly List<WorkingOrder> _allWorking = new();
        private readonly int[] _nextBar;
        private readonly DateTimeOffset[] _lastFunding;
        private readonly double[] _volumeUsed;
        private readonly List<Fill> _fills = new();
        private readonly List<FundingPayment> _funding = new();
        private readonly List<OrderEvent> _events = new();
        private readonly RoundTripTracker _trips = new();
        private readonly List<string> _updated = new();
        private readonly IFundingRates _fundingRates;
        private readonly Timeframe _timeframe;
        private readonly int[] _warmupBars;
        private readonly Bar[]?[] _subBars;
        private readonly AsOfSeries<Bar>?[] _subSeries;
        private readonly int[] _nextSub;
        private readonly int[] _subEnd;
        private readonly List<int> _stepInstruments = new();
        private readonly IIntrabarStrategy? _intrabar;
        private readonly List<DateTimeOffset> _intrabarTimes = new();
        private readonly List<double> _intrabarEquity = new();
        private int _barsWithoutSubBars;
        private int _barsWithSubBars;
        private long _nextOrderId = 1;
        private bool _live;
        private int _warmupSteps;
        private int _suppressedOrders;

        public Run(BacktestOptions options, IReadOnlyList<MarketSeries> market, IStrategy strategy)
        {
            if (market.Count == 0) throw new ArgumentException("A backtest needs at least one instrument.");
            _options = options;
            _strategy = strategy;
            _instruments = market.Select(m => m.Instrument).ToArray();
            _index = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i < _instruments.Length; i++)
                if (!_index.TryAdd(_instruments[i].Symbol, i)) throw new ArgumentException($"{_instruments[i].Symbol} appears twice.");
            var quotes = _instruments.Select(i => i.QuoteCurrency).Distinct().ToArray();
            if (quotes.Length != 1)
                throw new BadInputException($"All instruments of one backtest must share a quote currency; got {string.Join(", ", quotes)}. Run them separately.");
            _bars = market.Select(m => m.Bars as Bar[] ?? m.Bars.ToArray()).ToArray();
            for (var i = 0; i < _bars.Length; i++) CheckAscending(_instruments[i].Symbol, _bars[i]);
            _timeframe = new Timeframe(_bars.SelectMany(b => b.Take(1)).Select(b => b.Duration).DefaultIfEmpty(TimeSpan.FromDays(1)).Min());
            var start = _bars.Where(b => b.Length > 0).Select(b => b[0].Time).DefaultIfEmpty(DateTimeOffset.UnixEpoch).Min();
            _clock = new SimulationClock(start);
            _series = _bars.Select(b => AsOfSeries<Bar>.FromBars(b, _clock)).ToArray();
            _account = new Account(_instruments, quotes[0], options.InitialCash, options.MaxLeverage);
            _working = _instruments.Select(_ => new List<WorkingOrder>()).ToArray();
            _nextBar = new int[_instruments.Length];
            _volumeUsed = new double[_instruments.Length];
            _lastFunding = _bars.Select(b => b.Length > 0 ? b[0].Time : DateTimeOffset.MinValue).ToArray();
            _fundingRates = options.Funding ?? new ConstantFundingRate(0.0001);
            _warmupBars = new int[_instruments.Length];
            _live = options.TradeFrom is null;
            _subBars = market.Select(m => m.SubBars is null ? null : m.SubBars as Bar[] ?? m.SubBars.ToArray()).ToArray();
            for (var i = 0; i < _subBars.Length; i++)
                if (_subBars[i] is { } sub) CheckAscending(_instruments[i].Symbol + " sub-bars", sub);
            _subSeries = _subBars.Select(sub => sub is null ? null : AsOfSeries<Bar>.FromBars(sub, _clock)).ToArray();
            _nextSub = new int[_instruments.Length];
            _subEnd = new int[_instruments.Length];
            _intrabar = strategy as IIntrabarStrategy;
        }

        public async Task<BacktestResult> ExecuteAsync(IProgress<double>? progress, CancellationToken ct)
        {
            long totalBars = _bars.Sum(b => (long)b.Length), processed = 0, nextReport = 0;
            var reportEvery = Math.Max(1, totalBars / 100);
            var curve = new EquityCurve((int)Math.Min(int.MaxValue, _bars.Max(b => b.Length)));
            while (true)
            {
                // The next decision time is the earliest close among the symbols' next bars.
                var now = DateTimeOffset.MaxValue;
                for (var i = 0; i < _bars.Length; i++)
                    if (_nextBar[i] < _bars[i].Length && _bars[i][_nextBar[i]].CloseTime < now) now = _bars[i][_nextBar[i]].CloseTime;
                if (now == DateTimeOffset.MaxValue) break;

                _updated.Clear();
                _stepInstruments.Clear();
                var opensTradedSpan = false;
                var anySubBars = false;
                for (var i = 0; i < _bars.Length; i++)
                {
                    var k = _nextBar[i];
                    if (k >= _bars[i].Length || _bars[i][k].CloseTime != now) continue;
                    _stepInstruments.Add(i);
                    opensTradedSpan |= _bars[i][k].Time >= _options.TradeFrom;
                    anySubBars |= _subBars[i] is not null;
                }
                if (anySubBars) await WalkSubBarsAsync(now, _live || opensTradedSpan, ct);
                foreach (var i in _stepInstruments)
                {
                    var k = _nextBar[i];
                    var bar = _bars[i][k];
                    // With sub-bars the orders already traded on them; the bar itself is only the fallback.
                    if (_working[i].Count > 0 && !(_subBars[i] is not null && _subEnd[i] > 0)) ExecuteOn(i, k, bar, bar.Volume);
                    if (_instruments[i].IsPerpetual) SettleFunding(i, bar);
                    _account.Marks[i] = bar.Close;
                    _updated.Add(_instruments[i].Symbol);
                    _nextBar[i] = k + 1;
                    processed++;
                }
                _clock.AdvanceTo(now);
                // Trading starts with the first bar that opens at TradeFrom and never stops again.
                _live |= opensTradedSpan;
                if (_live) curve.Add(now, _account.Equity, _account.Cash[_account.Quote], _account.GrossExposure, _account.NetExposure);
                else
                {
                    _warmupSteps++;
                    foreach (var symbol in _updated) _warmupBars[_index[symbol]]++;
                }

                var pending = _strategy.OnBarAsync(this, ct);
                if (!pending.IsCompletedSuccessfully) await pending;

                if (processed >= nextReport)
                {
                    ct.ThrowIfCancellationRequested();
                    progress?.Report((double)processed / totalBars);
                    nextReport = processed + reportEvery;
                }
            }
            progress?.Report(1.0);
            foreach (var open in _allWorking)
                _events.Add(new OrderEvent(_clock.Now, open.Order.Id, open.Order.Symbol, OrderEventKind.Unfilled, $"still working at the end of the data ({open.RemainingQuantity:G6} of {open.Order.Quantity:G6} unfilled)"));

            var positions = _instruments.Select((inst, i) => (inst.Symbol, _account.Positions[i].Quantity)).ToDictionary(p => p.Symbol, p => p.Quantity);
            return new BacktestResult(_strategy.Name, _options, _timeframe, _instruments, curve, _fills, _funding,
                _trips.All(MarkPrice), _events, positions, _account.Cash[_account.Quote], processed)
            {
                Warmup = Warmup(),
                Intrabar = new IntrabarPath(_intrabarTimes, _intrabarEquity, _barsWithSubBars, _barsWithoutSubBars),
            };
        }

        /// <summary>
        /// Trades the step's decision bars on their sub-bars in time order across symbols: working orders fill
        /// on each sub-bar, the account is marked at its close and, before the decision bar's own close, the
        /// intrabar strategy may act. Leaves <c>_subEnd[i]</c> above 0 for each symbol that had sub-bars.
        /// </summary>
        private async ValueTask WalkSubBarsAsync(DateTimeOffset now, bool live, CancellationToken ct)
        {
            foreach (var i in _stepInstruments)
            {
                _subEnd[i] = 0;
                if (_subBars[i] is not { } sub) continue;
                var bar = _bars[i][_nextBar[i]];
                var c = _nextSub[i];
                while (c < sub.Length && sub[c].Time < bar.Time) c++;
                var end = c;
                while (end < sub.Length && sub[end].CloseTime <= bar.CloseTime) end++;
                _nextSub[i] = c;
                _volumeUsed[i] = 0;
                if (end > c) _subEnd[i] = end;
                if (!live) continue;
                if (end > c) _barsWithSubBars++;
                else _barsWithoutSubBars++;
            }
            while (true)
            {
                var t = DateTimeOffset.MaxValue;
                foreach (var i in _stepInstruments)
                    if (_nextSub[i] < _subEnd[i] && _subBars[i]![_nextSub[i]].CloseTime < t) t = _subBars[i]![_nextSub[i]].CloseTime;
                if (t == DateTimeOffset.MaxValue) break;
                foreach (var i in _stepInstruments)
                {
                    if (_nextSub[i] >= _subEnd[i]) continue;
                    var sb = _subBars[i]![_nextSub[i]];
                    if (sb.CloseTime != t) continue;
                    if (_working[i].Count > 0) ExecuteOn(i, _nextBar[i], sb, _bars[i][_nextBar[i]].Volume, newBar: false);
                    _account.Marks[i] = sb.Close;
                    _nextSub[i]++;
                }
                if (!live || t >= now) continue;
                _intrabarTimes.Add(t);
                _intrabarEquity.Add(_account.Equity);
                if (_intrabar is null) continue;
                _clock.AdvanceTo(t);
                var pending = _intrabar.OnIntrabarAsync(this, ct);
                if (!pending.IsCompletedSuccessfully) await pending;
            }
        }

        private WarmupSummary Warmup()
        {
            if (_options.TradeFrom is not { } from) return WarmupSummary.None;
            DateTimeOffset? first = null;
            for (var i = 0; i < _bars.Length; i++)
                if (_warmupBars[i] > 0 && (first is null || _bars[i][0].Time < first)) first = _bars[i][0].Time;
            var bars = _instruments.Select((inst, i) => (inst.Symbol, Count: _warmupBars[i])).ToDictionary(p => p.Symbol, p => p.Count);
            return new WarmupSummary(from, first, _warmupSteps, bars, _suppressedOrders);
        }

        /// <param name="volume">The decision bar's volume: participation and impact are measured against it even
        /// when the prices come from its sub-bars, so finer data changes where orders trade, not what they cost.</param>
        /// <param name="newBar">False for the second and later sub-bars of a decision bar: the volume taken so far counts.</param>
        private void ExecuteOn(int i, int barIndex, Bar bar, double volume, bool newBar = true)
        {
            if (newBar) _volumeUsed[i] = 0;
            if (!newBar && !(bar.Volume > 0)) return; // a sub-bar where nothing traded: nothing can fill on it
            var orders = _working[i];
            for (var n = 0; n < orders.Count; n++)
            {
                var wo = orders[n];
                if (wo.EligibleFromBar > barIndex || bar.Time < wo.NotBefore) continue;
                var arriving = !wo.HasArrived;
                wo.HasArrived = true;
                if (!TryPrice(wo, bar, arriving, out var reference, out var isMaker)) continue;

                var available = _options.ParticipationCap * volume - _volumeUsed[i];
                if (available <= 0) continue; // no volume (e.g. an outage filler bar): nothing can trade
                var quantity = Math.Min(wo.RemainingQuantity, available);
                if (wo.Order.ReduceOnly)
                {
                    var reducible = Reducible(i, wo.Order.Side);
                    if (reducible <= 1e-12 * wo.Order.Quantity)
                    {
                        CancelReduceOnly(orders, n--, wo, bar.CloseTime, "reduce-only: triggered with no position left to reduce");
                        continue;
                    }
                    quantity = Math.Min(quantity, reducible);
                }
                var participation = quantity / volume;
                var price = isMaker ? reference : Aggressive(wo, reference, participation);
                var feeFraction = (isMaker ? _options.Costs.MakerFeeBps : _options.Costs.TakerFeeBps) / 10_000.0;

                var affordable = _account.Affordable(i, wo.Order.Side, quantity, price, feeFraction);
                var shrunk = affordable < quantity * (1 - 1e-12);
                if (shrunk)
                {
                    quantity = affordable;
                    if (!isMaker) price = Aggressive(wo, reference, quantity / volume);
                }
                if (quantity > 1e-12 * wo.Order.Quantity) Book(i, wo, quantity, price, reference, isMaker, feeFraction, bar.CloseTime);
                if (shrunk)
                {
                    var why = _instruments[i].IsPerpetual || _options.MaxLeverage > 1
                        ? $"exposure would exceed {_options.MaxLeverage:G4}x equity"
                        : wo.Order.Side == OrderSide.Sell ? "a cash account cannot sell spot it does not hold" : "not enough cash";
                    _events.Add(new OrderEvent(bar.CloseTime, wo.Order.Id, wo.Order.Symbol,
                        wo.FilledQuantity > 0 ? OrderEventKind.Shrunk : OrderEventKind.Rejected,
                        $"{why}; {wo.RemainingQuantity:G6} of {wo.Order.Quantity:G6} cancelled"));
                    wo.FilledQuantity = wo.Order.Quantity; // done: the rest is cancelled
                }
                if (wo.RemainingQuantity <= 1e-12 * wo.Order.Quantity)
                {
                    orders.RemoveAt(n--);
                    _allWorking.Remove(wo);
                }
            }
            // A protective order dies with its position: once the position is flat or has flipped,
            // a resting reduce-only order on it has nothing left to protect.
            for (var n = orders.Count - 1; n >= 0; n--)
                if (orders[n].Order.ReduceOnly && Reducible(i, orders[n].Order.Side) <= 1e-12 * orders[n].Order.Quantity)
                    CancelReduceOnly(orders, n, orders[n], bar.CloseTime, "reduce-only: the position it protected is closed");
        }

        /// <summary>How much of the position an order on this side would take toward flat.</summary>
        private double Reducible(int i, OrderSide side)
        {
            var held = _account.Positions[i].Quantity;
            return side == OrderSide.Sell ? Math.Max(0, held) : Math.Max(0, -held);
        }

        private void CancelReduceOnly(List<WorkingOrder> orders, int n, WorkingOrder wo, DateTimeOffset time, string why)
        {
            orders.RemoveAt(n);
            _allWorking.Remove(wo);
            _events.Add(new OrderEvent(time, wo.Order.Id, wo.Order.Symbol, OrderEventKind.Cancelled, $"{why}; {wo.RemainingQuantity:G6} of {wo.Order.Quantity:G6} cancelled"));
        }

        /// <summary>The reference price at which an order trades on this bar, if it trades at all.</summary>
        private static bool TryPrice(WorkingOrder wo, Bar bar, bool arriving, out double reference, out bool isMaker)
        {
            var order = wo.Order;
            var buy = order.Side == OrderSide.Buy;
            reference = 0;
            isMaker = false;
            switch (order.Type)
            {
                case OrderType.Market:
                    reference = bar.Open;
                    return true;
                case OrderType.Stop:
                    if (!wo.Triggered)
                    {
                        var stop = order.StopPrice!.Value;
                        if (buy ? bar.Open >= stop : bar.Open <= stop) reference = bar.Open; // gapped through: fills at the open, worse than the stop
                        else if (buy ? bar.High >= stop : bar.Low <= stop) reference = stop;
                        else return false;
                        wo.Triggered = true;
                        return true;
                    }
                    reference = bar.Open;
                    return true;
                case OrderType.Limit:
                    var limit = order.LimitPrice!.Value;
                    if (arriving && (buy ? bar.Open <= limit : bar.Open >= limit))
                    {
                        reference = bar.Open; // marketable on arrival: it takes liquidity
                        return true;
                    }
                    // A resting order fills only if the market trades THROUGH its price: a mere touch
                    // says nothing about its place in the queue.
                    if (buy ? bar.Low < limit : bar.High > limit)
                    {
                        reference = limit;
                        isMaker = true;
                        return true;
                    }
                    return false;
                default:
                    throw new InvalidOperationException($"Unknown order type {order.Type}.");
            }
        }

        private double Aggressive(WorkingOrder wo, double reference, double participation)
        {
            var move = reference * _options.Costs.AggressiveCostFraction(participation);
            var price = wo.Order.Side == OrderSide.Buy ? reference + move : reference - move;
            // A limit order never pays beyond its limit.
            if (wo.Order.Type == OrderType.Limit)
                price = wo.Order.Side == OrderSide.Buy ? Math.Min(price, wo.Order.LimitPrice!.Value) : Math.Max(price, wo.Order.LimitPrice!.Value);
            return price;
        }

        private void Book(int i, WorkingOrder wo, double quantity, double price, double reference, bool isMaker, double feeFraction, DateTimeOffset time)
        {
            var fee = quantity * price * feeFraction;
            var slippage = Math.Abs(price - reference) * quantity;
            var before = _account.Positions[i].Quantity;
            _account.ApplyFill(i, wo.Order.Side, quantity, price, fee);
            var fill = new Fill(wo.Order.Id, wo.Order.Symbol, wo.Order.Side, quantity, price, fee, slippage, isMaker, time);
            _fills.Add(fill);
            _trips.OnFill(fill, before);
            wo.FilledQuantity += quantity;
            _volumeUsed[i] += quantity;
        }

        /// <summary>Settles every funding time since the last one, using the position and the close now.</summary>
        private void SettleFunding(int i, Bar bar)
        {
            var interval = _instruments[i].FundingInterval;
            var next = NextSettlementAfter(_lastFunding[i], interval);
            while (next <= bar.CloseTime)
            {
                var quantity = _account.Positions[i].Quantity;
                if (quantity != 0)
                {
                    var payment = FundingPayment.Settle(next, _instruments[i].Symbol, quantity, bar.Close, _fundingRates.RateAt(_instruments[i].Symbol, next));
                    _account.ApplyFunding(payment);
                    _funding.Add(payment);
                    _trips.OnFunding(payment);
                }
                _lastFunding[i] = next;
                next += interval;
            }
        }

        private static DateTimeOffset NextSettlementAfter(DateTimeOffset time, TimeSpan interval)
        {
            var ticks = time.UtcTicks;
            var next = (ticks / interval.Ticks + 1) * interval.Ticks;
            return new DateTimeOffset(next, TimeSpan.Zero);
        }

        private static void CheckAscending(string symbol, Bar[] bars)
        {
            for (var k = 1; k < bars.Length; k++)
                if (bars[k].Time <= bars[k - 1].Time)
                    throw new BadInputException($"{symbol}: bar {k} at {bars[k].Time:O} is not after bar {k - 1} at {bars[k - 1].Time:O}; load data through the validating loader.");
        }

        // IStrategyContext
        public DateTimeOffset Now => _clock.Now;
        public bool IsWarmingUp => !_live;
        public IReadOnlyList<Instrument> Instruments => _instruments;
        public IReadOnlyList<string> Updated => _updated;
        public IPortfolioView Portfolio => this;
        public IReadOnlyCollection<WorkingOrder> OpenOrders => _allWorking;
        public IReadOnlyList<Fill> Fills => _fills;
        public IReadOnlyList<FundingPayment> FundingPayments => _funding;

        public AsOfSeries<Bar> Bars(string symbol) => _series[IndexOf(symbol)];

        public AsOfSeries<Bar>? SubBars(string symbol) => _subSeries[IndexOf(symbol)];

        public long Submit(string symbol, OrderSide side, double quantity, OrderType type = OrderType.Market,
            double? limitPrice = null, double? stopPrice = null, string? tag = null, bool reduceOnly = false)
        {
            var i = IndexOf(symbol);
            if (!_live)
            {
                // Warm-up: the order is checked like any other, then dropped before the venue.
                new Order(-1, _instruments[i].Symbol, side, quantity, type, _clock.Now, limitPrice, stopPrice, tag).Validate();
                return -++_suppressedOrders;
            }
            var order = new Order(_nextOrderId++, _instruments[i].Symbol, side, quantity, type, _clock.Now, limitPrice, stopPrice, tag) { ReduceOnly = reduceOnly };
            order.Validate();
            // Bars 0..known-1 are known now; the venue sees the order from bar known-1+latency on
            // (inside a bar, from the next sub-bar on).
            var eligible = _series[i].Count - 1 + _options.LatencyBars;
            var working = new WorkingOrder(order, eligible) { NotBefore = _clock.Now };
            _working[i].Add(working);
            _allWorking.Add(working);
            return order.Id;
        }

        public void Cancel(long orderId)
        {
            var wo = _allWorking.FirstOrDefault(o => o.Order.Id == orderId);
            if (wo is null) return;
            _allWorking.Remove(wo);
            _working[IndexOf(wo.Order.Symbol)].Remove(wo);
            _events.Add(new OrderEvent(_clock.Now, orderId, wo.Order.Symbol, OrderEventKind.Cancelled, $"cancelled by the strategy with {wo.RemainingQuantity:G6} unfilled"));
        }

        private int IndexOf(string symbol) =>
            _index.TryGetValue(symbol, out var i) ? i : throw new ArgumentException($"{symbol} is not part of this backtest.");

        // IPortfolioView
        public double Cash => _account.Cash[_account.Quote];
        public double Equity => _account.Equity;
        public double GrossExposure => _account.GrossExposure;
        public double PositionQuantity(string symbol) => _account.Positions[IndexOf(symbol)].Quantity;
        public double AveragePrice(string symbol) => _account.Positions[IndexOf(symbol)].AveragePrice;
        public double MarkPrice(string symbol) => _account.Marks[IndexOf(symbol)];
    }
}
