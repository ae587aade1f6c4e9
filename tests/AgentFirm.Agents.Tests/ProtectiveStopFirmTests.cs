using AgentFirm.Agents.Contracts;
using AgentFirm.Agents.Firm;
using AgentFirm.Agents.Grains;
using AgentFirm.Core;
using AgentFirm.Quant.Backtest;

namespace AgentFirm.Agents.Tests;

/// <summary>The firm's protective stops over a simulated year: placed for every position, at the sizing's level, recorded, and gone with the position.</summary>
public sealed class ProtectiveStopFirmTests(FirmCluster firm) : IClassFixture<FirmCluster>
{
    /// <summary>Checks the venue's book before every decision and the risk agent's stops after it.</summary>
    private sealed class StopAudit(FirmStrategy inner) : IStrategy
    {
        public List<string> Problems { get; } = new();
        public int ProtectedPositions { get; private set; }
        public int StopsAtSizingLevel { get; private set; }

        public string Name => inner.Name;

        public async ValueTask OnBarAsync(IStrategyContext context, CancellationToken cancellationToken)
        {
            foreach (var instrument in context.Instruments)
            {
                var held = context.Portfolio.PositionQuantity(instrument.Symbol);
                if (held == 0) continue;
                var covered = context.OpenOrders
                    .Where(o => o.Order.Symbol == instrument.Symbol && o.Order.ReduceOnly && o.Order.Type == OrderType.Stop && o.Order.Side.Sign() == -Math.Sign(held))
                    .Sum(o => o.RemainingQuantity);
                if (covered < Math.Abs(held) * (1 - 1e-9)) Problems.Add($"{context.Now:yyyy-MM-dd} {instrument.Symbol}: holds {held} with stops for {covered}");
                else ProtectedPositions++;
            }
            await inner.OnBarAsync(context, cancellationToken);
            if (inner.LastDecision is not { } d) return;
            foreach (var v in d.Verdicts.Where(v => v.ApprovedQuantity > 0 && v.Proposal.RiskPerUnit > 0))
            {
                var stop = d.Stops.FirstOrDefault(s => s.Symbol == v.Proposal.Symbol);
                var held = context.Portfolio.PositionQuantity(v.Proposal.Symbol);
                var opens = Math.Sign(held + v.Proposal.Side.Sign() * v.ApprovedQuantity) == v.Proposal.Side.Sign();
                if (stop is null || !opens || stop.Reason.Contains("tightened") || context.OpenOrders.Any(o => o.Order.Symbol == v.Proposal.Symbol && !o.Order.ReduceOnly && o.Order.SubmittedAt < d.Time)) continue;
                var expected = v.Proposal.ReferencePrice - v.Proposal.Side.Sign() * v.Proposal.RiskPerUnit;
                if (Math.Abs(stop.StopPrice - expected) > 1e-9 * expected) Problems.Add($"{d.Time:yyyy-MM-dd} {stop.Symbol}: stop at {stop.StopPrice}, the sizing assumed {expected}");
                else StopsAtSizingLevel++;
            }
        }
    }

    [Fact]
    public async Task Every_position_carries_a_reduce_only_stop_at_the_level_its_sizing_assumed_and_the_ledger_records_it()
    {
        var runId = "stops";
        var (market, feed) = FirmCluster.SimulatedYear();
        var audit = new StopAudit(new FirmStrategy(firm.Grains, runId, feed));

        var result = await new BacktestEngine(new BacktestOptions()).RunAsync(market, audit);
        var ledger = await firm.Grains.GetGrain<IPortfolioGrain>(runId).EntriesAsync(0, int.MaxValue);

        Assert.Empty(audit.Problems);
        Assert.True(audit.ProtectedPositions > 100, $"only {audit.ProtectedPositions} position-days were checked");
        Assert.True(audit.StopsAtSizingLevel > 0, "no stop was checked against its sizing");
        var placed = ledger.Where(e => e.Kind == LedgerEntryKind.OrderSubmitted && e.Note == ExecutionGrain.StopTag).ToArray();
        Assert.NotEmpty(placed);
        Assert.All(placed, e => Assert.True(e.Price > 0, "a stop is recorded with its trigger price"));
        Assert.Contains(ledger, e => e.Kind == LedgerEntryKind.OrderCancelled && e.OrderId > 0);
    }
}

/// <summary>The firm with hourly bars inside its daily bars: a crash inside one day is cut within the hour, not at the next open.</summary>
public sealed class IntrabarLimitFirmTests(TightRiskCluster firm) : IClassFixture<TightRiskCluster>
{
    /// <summary>
    /// 260 days of steady rise built from hourly bars, except day 150, which falls 60 % hour by hour (about 3.8 %
    /// an hour, no gap between hours); good news every day of the rise so that the firm is long when it comes.
    /// </summary>
    private static (MarketSeries Market, SideDataFeed Feed) RiseCrashRecoverHourly()
    {
        var t0 = new DateTimeOffset(2023, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var rng = new Random(5);
        var price = 100.0;
        var hours = new List<Bar>();
        for (var h = 0; h < 260 * 24; h++)
        {
            var drift = h / 24 == 150 ? Math.Log(0.4) / 24 : 0.01 / 24;
            var open = price;
            price *= Math.Exp(drift + 0.002 * (rng.NextDouble() - 0.5));
            hours.Add(new Bar(t0.AddHours(h), TimeSpan.FromHours(1), open, Math.Max(open, price) * 1.0005, Math.Min(open, price) * 0.9995, price, 1e5));
        }
        var days = hours.Chunk(24).Select(c => new Bar(c[0].Time, TimeSpan.FromDays(1), c[0].Open, c.Max(b => b.High), c.Min(b => b.Low), c[^1].Close, c.Sum(b => b.Volume))).ToArray();
        string[] news = ["Bitcoin rallies as ETF inflows surge", "Whales accumulate BTC ahead of network upgrade", "BTC jumps after major exchange adds spot pairs"];
        var feed = new SideDataFeed(Enumerable.Range(0, 150).Select(d => new Headline(t0.AddDays(d).AddHours(12), news[d % news.Length], null, "test", "BTC-USDT")));
        return (new MarketSeries(Instrument.Parse("BTC-USDT"), days) { SubBars = hours.ToArray() }, feed);
    }

    [Fact]
    public async Task A_crash_inside_a_day_costs_at_most_the_drawdown_limit_plus_one_hour_and_costs_and_the_ledger_records_who_cut_it()
    {
        var runId = "intrabar-crash";
        var (market, feed) = RiseCrashRecoverHourly();
        var strategy = new FirmStrategy(firm.Grains, runId, feed);

        var result = await new BacktestEngine(new BacktestOptions()).RunAsync([market], strategy);
        var ledger = await firm.Grains.GetGrain<IPortfolioGrain>(runId).EntriesAsync(0, int.MaxValue);

        var crashDay = new DateTimeOffset(2023, 1, 1, 0, 0, 0, TimeSpan.Zero).AddDays(150);
        Assert.True(result.Curve.GrossExposure.Take(150).Any(g => g > 0.3), "the firm was never long before the crash");
        // Cut during the crash day, between two hourly closes, by a protective stop or the risk agent's guard.
        var exits = result.Fills.Where(f => f.Side == OrderSide.Sell && f.Time > crashDay && f.Time < crashDay.AddDays(1)).ToArray();
        Assert.NotEmpty(exits);
        Assert.All(exits, f => Assert.NotEqual(TimeSpan.Zero, f.Time.TimeOfDay));
        var cutBy = ledger.Where(e => e.Kind == LedgerEntryKind.OrderSubmitted && (e.Note == ExecutionGrain.StopTag || e.Note == "risk/guard-flatten")).ToArray();
        Assert.NotEmpty(cutBy);

        // Realised drawdown from the decision-time peak: the 5 % limit plus one hour's fall (3.8 %) plus costs.
        var peak = 0.0;
        var worst = 0.0;
        for (var i = 0; i < result.Curve.Count; i++)
        {
            peak = Math.Max(peak, result.Curve.Equity[i]);
            worst = Math.Max(worst, 1 - result.Curve.Equity[i] / peak);
        }
        var costs = result.Fills.Sum(f => f.Fee + f.SlippageCost) / result.Options.InitialCash;
        Assert.True(worst <= 0.05 + 0.04 + costs, $"drawdown {worst:P2} (costs {costs:P2})");
    }
}
