using AgentFirm.Agents.Contracts;
using AgentFirm.Core;
using AgentFirm.Quant.Execution;

namespace AgentFirm.Agents.Tests;

/// <summary>A cluster whose execution agent chooses the algorithm per order and whose risk agent applies the VPIN rule.</summary>
public sealed class ChoosingExecutionCluster : FirmCluster
{
    protected override ExecutionSettings Execution => new()
    {
        Mode = "chosen",
        Toxicity = new VpinToxicityRule { Enabled = true, Buckets = 10, LookbackBars = 440, MinimumValues = 50 },
    };
}

public sealed class ExecutionAgentTests(ChoosingExecutionCluster firm) : IClassFixture<ChoosingExecutionCluster>
{
    private static readonly DateTimeOffset Start = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static PortfolioState Portfolio(DateTimeOffset time, TimeSpan bar) => new(time, 1_000_000, 1_000_000,
        new Dictionary<string, double> { ["ETH-USDT"] = 5 },
        new Dictionary<string, double> { ["BTC-USDT"] = 50_000, ["ETH-USDT"] = 2_000 },
        new Dictionary<string, DateTimeOffset> { ["BTC-USDT"] = time, ["ETH-USDT"] = time }, bar);

    private async Task Publish(string runId, string symbol, Bar[] bars)
    {
        var market = firm.Grains.GetGrain<IMarketGrain>($"{runId}/{symbol}");
        await market.PublishAsync(bars);
        await market.RecentAsync(1); // the publish is one-way: wait until it was taken
    }

    /// <summary>Hourly bars of volume 100 whose close moves 10 bp up and down in turn (volatility about 10 bp a bar).</summary>
    private static Bar[] Hourly(double price, int count) => Enumerable.Range(0, count).Select(k =>
    {
        var close = price * (k % 2 == 0 ? 1.001 : 1);
        return new Bar(Start.AddHours(k), TimeSpan.FromHours(1), price, Math.Max(price, close), Math.Min(price, close), close, 100);
    }).ToArray();

    [Fact]
    public async Task Chosen_execution_records_the_algorithm_its_horizon_and_why_with_each_order()
    {
        const string run = "choice";
        await Publish(run, "BTC-USDT", Hourly(50_000, 48));
        await Publish(run, "ETH-USDT", Hourly(2_000, 48));
        var now = Start.AddHours(48);
        var day = TimeSpan.FromHours(48);
        var large = new RiskVerdictRecord(new ProposedOrder("BTC-USDT", OrderSide.Buy, 20, 50_000, 1_000, "test") { Horizon = day }, VerdictKind.Approve, 20, "ok");
        var small = new RiskVerdictRecord(new ProposedOrder("BTC-USDT", OrderSide.Buy, 0.5, 50_000, 1_000, "test") { Horizon = day }, VerdictKind.Approve, 0.5, "ok");
        var reducing = new RiskVerdictRecord(new ProposedOrder("ETH-USDT", OrderSide.Sell, 2, 2_000, 100, "test") { Horizon = day }, VerdictKind.Approve, 2, "ok");

        var orders = await firm.Grains.GetGrain<IExecutionGrain>(run).RouteAsync([large, small, reducing], Portfolio(now, TimeSpan.FromHours(1)));

        // 20 of a 100 bar is 20% participation: a schedule, capped at one decision bar; no finer bars, so TWAP.
        Assert.Equal("twap", orders[0].Algorithm);
        Assert.Equal(TimeSpan.FromHours(1), orders[0].Horizon);
        Assert.Contains("20% of a bar's volume", orders[0].Reason);
        Assert.Contains("capped", orders[0].Reason);
        // 0.5% of a bar, a 48-bar view and a 1 bp half spread against ~10 bp volatility: rest at the touch.
        Assert.Equal("limit-peg", orders[1].Algorithm);
        Assert.Equal(OrderType.Limit, orders[1].Type);
        Assert.Contains("rest at the touch", orders[1].Reason);
        Assert.Equal("market", orders[2].Algorithm);
        Assert.Equal(TimeSpan.Zero, orders[2].Horizon);
        Assert.Contains("reduces the position", orders[2].Reason);
    }

    [Fact]
    public void Naive_execution_keeps_its_rule_and_still_records_why()
    {
        var portfolio = Portfolio(Start, TimeSpan.FromHours(1));
        var small = new RiskVerdictRecord(new ProposedOrder("BTC-USDT", OrderSide.Buy, 0.1, 50_000, 1_000, "test") { Horizon = TimeSpan.FromHours(48) }, VerdictKind.Approve, 0.1, "ok");
        var urgent = small with { Proposal = small.Proposal with { Horizon = TimeSpan.FromHours(1) } };

        var orders = new[] { Grains.ExecutionGrain.Naive(small, portfolio), Grains.ExecutionGrain.Naive(urgent, portfolio) };

        Assert.Equal((OrderType.Limit, "limit"), (orders[0].Type, orders[0].Algorithm));
        Assert.Equal(50_000, orders[0].LimitPrice);
        Assert.Contains("rest at the last close", orders[0].Reason);
        Assert.Equal((OrderType.Market, "market"), (orders[1].Type, orders[1].Algorithm));
        Assert.Contains("shorter than 5 bars", orders[1].Reason);
    }

    [Fact]
    public async Task Risk_agent_shrinks_new_exposure_while_order_flow_is_toxic_and_lets_reductions_pass()
    {
        // 400 calm minutes (balanced flow), then 40 minutes of one-way selling.
        var bars = new List<Bar>();
        var price = 50_000.0;
        for (var k = 0; k < 440; k++)
        {
            var next = k < 400 ? price * (k % 2 == 0 ? 1.0002 : 1 / 1.0002) : price * 0.9994;
            bars.Add(new Bar(Start.AddMinutes(k), TimeSpan.FromMinutes(1), price, Math.Max(price, next), Math.Min(price, next), next, 100));
            price = next;
        }
        await Publish("toxic", "BTC-USDT", bars.ToArray());
        await Publish("calm", "BTC-USDT", bars.Take(400).ToArray());
        var now = Start.AddMinutes(440);
        var portfolio = Portfolio(now, TimeSpan.FromMinutes(1)) with { Equity = 100_000, Cash = 100_000 };
        var buy = new ProposedOrder("BTC-USDT", OrderSide.Buy, 0.1, 50_000, 1_000, "test");
        var sell = new ProposedOrder("ETH-USDT", OrderSide.Sell, 2, 2_000, 100, "test");

        var toxic = await firm.Grains.GetGrain<IRiskGrain>("toxic").ReviewAsync(portfolio, [buy, sell]);
        var calm = await firm.Grains.GetGrain<IRiskGrain>("calm").ReviewAsync(portfolio, [buy]);

        Assert.Equal(VerdictKind.Shrink, toxic.Verdicts[0].Decision);
        Assert.Equal(0.05, toxic.Verdicts[0].ApprovedQuantity, 12);
        Assert.Contains("toxic order flow", toxic.Verdicts[0].Reason);
        Assert.Equal(VerdictKind.Approve, toxic.Verdicts[1].Decision); // a reduction is never held back
        Assert.Equal(VerdictKind.Approve, calm.Verdicts[0].Decision);
        Assert.Equal(0.1, calm.Verdicts[0].ApprovedQuantity, 12);
    }
}
