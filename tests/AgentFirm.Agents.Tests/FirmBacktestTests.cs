using AgentFirm.Agents.Contracts;
using AgentFirm.Agents.Firm;
using AgentFirm.Core;
using AgentFirm.Quant.Backtest;

namespace AgentFirm.Agents.Tests;

public sealed class FirmBacktestTests(FirmCluster firm) : IClassFixture<FirmCluster>
{
    private static readonly BacktestOptions Options = new();

    private async Task<(BacktestResult Result, LedgerEntry[] Ledger)> RunAsync(string runId, IStrategy? wrap = null, Func<FirmStrategy, IStrategy>? decorate = null)
    {
        var (market, feed) = FirmCluster.SimulatedYear();
        var strategy = new FirmStrategy(firm.Grains, runId, feed);
        var result = await new BacktestEngine(Options).RunAsync(market, decorate?.Invoke(strategy) ?? strategy);
        var ledger = await firm.Grains.GetGrain<IPortfolioGrain>(runId).EntriesAsync(0, int.MaxValue);
        return (result, ledger);
    }

    [Fact]
    public async Task One_year_daily_firm_backtest_keeps_the_ledger_balanced_at_every_step()
    {
        var (result, entries) = await RunAsync("balance");
        var (market, _) = FirmCluster.SimulatedYear();

        Assert.Equal(365, result.Curve.Count);
        Assert.True(result.Fills.Count > 0, "the firm never traded");
        Assert.Equal(Enumerable.Range(1, entries.Length).Select(i => (long)i), entries.Select(e => e.Sequence));

        // Replay the ledger step by step: cash + positions at the step's closes must equal the venue's equity.
        var ledger = new Ledger([], "USDT");
        var next = 0;
        for (var step = 1; step <= result.Curve.Count; step++)
        {
            while (next < entries.Length && entries[next].Step <= step) ledger.Apply(entries[next++]);
            var marks = market.ToDictionary(m => m.Instrument.Symbol, m => m.Bars[step - 1].Close);
            Assert.Equal(result.Curve.Equity[step - 1], ledger.Equity(s => marks[s]), 1e-6 * result.Curve.Equity[step - 1]);
        }
        // Fills sum to positions, in the ledger and at the venue.
        foreach (var (symbol, quantity) in result.FinalPositions)
        {
            var filled = result.Fills.Where(f => f.Symbol == symbol).Sum(f => f.SignedQuantity);
            Assert.Equal(quantity, filled, 1e-9);
            Assert.Equal(quantity, ledger.PositionQuantity(symbol), 1e-9);
        }
        Assert.Equal(result.Fills.Count, entries.Count(e => e.Kind == LedgerEntryKind.Fill));

        // The read side: the ledger's length, the coordinator's recent decisions, the market grain's history.
        Assert.Equal(entries.Length, await firm.Grains.GetGrain<IPortfolioGrain>("balance").LastSequenceAsync());
        var recent = await firm.Grains.GetGrain<IMetaControllerGrain>("balance").RecentDecisionsAsync(3);
        Assert.Equal([365L, 364L, 363L], recent.Select(r => r.Step));
        var history = await firm.Grains.GetGrain<IMarketGrain>("balance/BTC-USDT").RecentAsync(10);
        Assert.Equal(10, history.Length);
        Assert.True(history[^1].CloseTime <= result.Curve.Times[^1]);
    }

    [Fact]
    public async Task The_same_seed_gives_the_same_result_twice()
    {
        var (first, firstLedger) = await RunAsync("repeat-a");
        var (second, secondLedger) = await RunAsync("repeat-b");

        Assert.Equal(first.Curve.Equity, second.Curve.Equity);
        Assert.Equal(first.Fills.Select(f => (f.Time, f.Symbol, f.Side, f.Quantity, f.Price)), second.Fills.Select(f => (f.Time, f.Symbol, f.Side, f.Quantity, f.Price)));
        Assert.Equal(firstLedger.Select(e => e with { Note = null }), secondLedger.Select(e => e with { Note = null }));
    }

    [Fact]
    public async Task A_silo_restart_mid_run_loses_no_ledger_event()
    {
        var runId = "restart";
        var (result, entries) = await RunAsync(runId, decorate: inner => new RestartAtStep(inner, 180, async () =>
        {
            // Take the second silo down (with whatever grains it hosted), make the ledger and the coordinator
            // drop everything they hold in memory wherever they live, and bring a fresh silo up: both must
            // rebuild from SQLite on their next call.
            await firm.Cluster.StopSiloAsync(firm.Cluster.Silos[1]);
            await firm.Cluster.DeactivateAsync((IAddressable)firm.Grains.GetGrain<IPortfolioGrain>(runId));
            await firm.Cluster.DeactivateAsync((IAddressable)firm.Grains.GetGrain<IMetaControllerGrain>(runId));
            await firm.Cluster.StartAdditionalSiloAsync();
        }));

        Assert.Equal(365, result.Curve.Count);
        Assert.Equal(Enumerable.Range(1, entries.Length).Select(i => (long)i), entries.Select(e => e.Sequence));
        var ledgerFills = entries.Where(e => e.Kind == LedgerEntryKind.Fill).Select(e => (e.OrderId, e.Symbol, e.Side, e.Quantity, e.Price)).ToList();
        Assert.Equal(result.Fills.Select(f => (f.OrderId, f.Symbol, f.Side, f.Quantity, f.Price)), ledgerFills);
        var summary = await firm.Grains.GetGrain<IPortfolioGrain>(runId).SummaryAsync(
            result.Instruments.ToDictionary(i => i.Symbol, i => result.Curve.Count > 0 ? LastClose(i.Symbol) : 0));
        Assert.Equal(result.FinalCash, summary.Cash, 1e-6 * Math.Abs(result.FinalCash) + 1e-6);

        double LastClose(string symbol) => FirmCluster.SimulatedYear().Market.Single(m => m.Instrument.Symbol == symbol).Bars[^1].Close;
    }

    private sealed class RestartAtStep(IStrategy inner, int step, Func<Task> restart) : IStrategy
    {
        private int _step;
        public string Name => inner.Name;

        public async ValueTask OnBarAsync(IStrategyContext context, CancellationToken cancellationToken)
        {
            if (++_step == step) await restart();
            await inner.OnBarAsync(context, cancellationToken);
        }
    }
}

public sealed class FirmRiskTests(TightRiskCluster firm) : IClassFixture<TightRiskCluster>
{
    /// <summary>
    /// Days of steady rise (the firm goes long), a 60% collapse no exit can dodge (crypto has had them: the
    /// day opens 60% down, past every stop), then a recovery the firm must sit out.
    /// </summary>
    private static MarketSeries[] RiseCrashRecover()
    {
        var t0 = new DateTimeOffset(2023, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var price = 100.0;
        var rng = new Random(5);
        var bars = new List<Bar>();
        for (var day = 0; day < 260; day++)
        {
            var open = day == 150 ? price * 0.4 : price;
            price = open * Math.Exp(0.01 + 0.01 * (rng.NextDouble() - 0.5));
            bars.Add(new Bar(t0.AddDays(day), TimeSpan.FromDays(1), open, Math.Max(open, price) * 1.005, Math.Min(open, price) * 0.995, price, 1e6));
        }
        return [new MarketSeries(Instrument.Parse("BTC-USDT"), bars.ToArray())];
    }

    /// <summary>
    /// Good news about BTC every midday of the rise: the sentiment analyst's calls come true day after day, so
    /// the firm learns to trust them and is long when the crash comes (it trades only on evidence it has seen work).
    /// </summary>
    private static SideDataFeed GoodNewsUntilTheCrash()
    {
        var t0 = new DateTimeOffset(2023, 1, 1, 12, 0, 0, TimeSpan.Zero);
        string[] news = ["Bitcoin rallies as ETF inflows surge", "Whales accumulate BTC ahead of network upgrade", "BTC jumps after major exchange adds spot pairs"];
        return new SideDataFeed(Enumerable.Range(0, 150).Select(d => new Headline(t0.AddDays(d), news[d % news.Length], null, "test", "BTC-USDT")));
    }

    [Fact]
    public async Task After_the_drawdown_limit_the_firm_goes_flat_and_stays_flat_until_a_person_resets_it()
    {
        var runId = "crash";
        var strategy = new FirmStrategy(firm.Grains, runId, GoodNewsUntilTheCrash());
        var result = await new BacktestEngine(new BacktestOptions()).RunAsync(RiseCrashRecover(), strategy);

        var status = await firm.Grains.GetGrain<IRiskGrain>(runId).StatusAsync();
        Assert.True(status.Halted, "the collapse should have tripped the 5% drawdown halt");
        Assert.Contains("drawdown", status.HaltReason!, StringComparison.OrdinalIgnoreCase);

        // Find the first step where the venue's equity fell 5% below its peak; from shortly after it, the book is flat.
        var curve = result.Curve;
        var peak = 0.0;
        var breach = -1;
        for (var i = 0; i < curve.Count && breach < 0; i++)
        {
            peak = Math.Max(peak, curve.Equity[i]);
            if (curve.Equity[i] < 0.95 * peak) breach = i;
        }
        Assert.True(breach > 0, "the firm was never long into the crash");
        Assert.All(Enumerable.Range(breach + 3, curve.Count - breach - 3), i => Assert.Equal(0, curve.GrossExposure[i]));
        Assert.Equal(0, result.FinalPositions["BTC-USDT"], 1e-9);

        var ledger = await firm.Grains.GetGrain<IPortfolioGrain>(runId).EntriesAsync(0, int.MaxValue);
        Assert.Contains(ledger, e => e.Kind == LedgerEntryKind.OrderVetoed && e.Note!.Contains("halted"));

        // A person resets it: the halt lifts and the firm may trade again.
        await firm.Grains.GetGrain<IRiskGrain>(runId).ResetAsync("test operator");
        Assert.False((await firm.Grains.GetGrain<IRiskGrain>(runId).StatusAsync()).Halted);
    }
}
