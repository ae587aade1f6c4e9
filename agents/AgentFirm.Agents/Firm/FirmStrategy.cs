using AgentFirm.Agents.Contracts;
using AgentFirm.Core;
using AgentFirm.Quant.Backtest;

namespace AgentFirm.Agents.Firm;

/// <summary>
/// Runs the whole firm inside the backtest engine: at each decision time it hands the meta-controller
/// grain what became known (bars, headlines, series, the venue's fills and funding) and sends the
/// orders that come back, after risk, to the engine's simulated venue. The engine stays the single
/// clock and the venue; the grains decide. Transient silo failures are retried: a step is idempotent.
/// </summary>
public sealed class FirmStrategy(IGrainFactory grains, string runId, SideDataFeed? feed = null) : IStrategy
{
    private const int MaxAttempts = 5;
    private readonly SideDataFeed _feed = feed ?? new SideDataFeed();
    private readonly Dictionary<string, DateTimeOffset> _lastBarClose = new(StringComparer.OrdinalIgnoreCase);
    private IMetaControllerGrain? _meta;
    private long _step;
    private int _fillCursor;
    private int _fundingCursor;

    public string Name => "firm";
    public string RunId => runId;

    /// <summary>The record of the latest decision step (for the dashboard and tests).</summary>
    public DecisionRecord? LastDecision { get; private set; }

    public async ValueTask OnBarAsync(IStrategyContext context, CancellationToken cancellationToken)
    {
        if (_meta is null)
        {
            _meta = grains.GetGrain<IMetaControllerGrain>(runId);
            var setup = new FirmSetup(context.Instruments.Select(i => i.Symbol).ToArray(), context.Instruments[0].QuoteCurrency,
                context.Portfolio.Equity, context.Bars(context.Instruments[0].Symbol).Latest.Duration, context.Now);
            await WithRetry(() => _meta.StartAsync(setup), cancellationToken);
        }

        var bars = new SymbolBar[context.Updated.Count];
        for (var i = 0; i < bars.Length; i++)
        {
            var symbol = context.Updated[i];
            var bar = context.Bars(symbol).Latest;
            bars[i] = new SymbolBar(symbol, bar);
            _lastBarClose[symbol] = bar.CloseTime;
        }
        var (headlines, series) = _feed.Release(context.Now);
        var input = new DecisionInput(
            new MarketUpdate(++_step, context.Now, bars, headlines, series),
            Snapshot(context),
            context.Fills.Skip(_fillCursor).ToArray(),
            context.FundingPayments.Skip(_fundingCursor).ToArray(),
            _fillCursor,
            _fundingCursor) { WarmingUp = context.IsWarmingUp };

        var output = await WithRetry(() => _meta.DecideAsync(input), cancellationToken);
        _fillCursor = context.Fills.Count;
        _fundingCursor = context.FundingPayments.Count;
        foreach (var order in output.Orders)
            context.Submit(order.Symbol, order.Side, order.Quantity, order.Type, order.LimitPrice, tag: order.Tag);
        LastDecision = output.Record;
    }

    private PortfolioState Snapshot(IStrategyContext context)
    {
        var positions = new Dictionary<string, double>(context.Instruments.Count);
        var marks = new Dictionary<string, double>(context.Instruments.Count);
        foreach (var instrument in context.Instruments)
        {
            positions[instrument.Symbol] = context.Portfolio.PositionQuantity(instrument.Symbol);
            marks[instrument.Symbol] = context.Portfolio.MarkPrice(instrument.Symbol);
        }
        return new PortfolioState(context.Now, context.Portfolio.Cash, context.Portfolio.Equity, positions, marks, new Dictionary<string, DateTimeOffset>(_lastBarClose), context.Bars(context.Instruments[0].Symbol).Latest.Duration);
    }

    /// <summary>Retries a grain call that failed because a silo went away; the grain reactivates elsewhere.</summary>
    private static async Task<T> WithRetry<T>(Func<Task<T>> call, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await call();
            }
            catch (Exception ex) when (attempt < MaxAttempts && IsTransient(ex))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100 * attempt), ct);
            }
        }
    }

    private static Task WithRetry(Func<Task> call, CancellationToken ct) => WithRetry(async () => { await call(); return true; }, ct);

    private static bool IsTransient(Exception ex) =>
        ex is SiloUnavailableException or OrleansMessageRejectionException or TimeoutException
        || ex.InnerException is not null && IsTransient(ex.InnerException);
}
