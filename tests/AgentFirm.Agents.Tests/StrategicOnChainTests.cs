using AgentFirm.Agents.Contracts;
using AgentFirm.Core;
using AgentFirm.Quant.OnChain;

namespace AgentFirm.Agents.Tests;

/// <summary>The strategic grain's on-chain regime filter, fed through the same side-data points the firm sends.</summary>
public sealed class StrategicOnChainTests(FirmCluster firm) : IClassFixture<FirmCluster>
{
    private static readonly DateTimeOffset T0 = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Daily BTC bars; with <paramref name="gapInStd"/> also market and realised cap whose MVRV Z is that gap.</summary>
    private static IEnumerable<MarketUpdate> Days(int days, double? gapInStd)
    {
        var caps = new List<double>();
        for (var d = 0; d < days; d++)
        {
            var close = 100 * (1 + 0.01 * Math.Sin(d));
            var bar = new Bar(T0.AddDays(d), TimeSpan.FromDays(1), close, close * 1.01, close * 0.99, close, 10);
            var series = Array.Empty<SeriesPoint>();
            if (gapInStd is { } z && d > 0)
            {
                // the row of day d - 1 becomes known at the close of day d - 1 = the open of day d
                var mc = 1000.0 + 10 * d;
                caps.Add(mc);
                var mean = caps.Average();
                var sd = caps.Count > 1 ? Math.Sqrt(caps.Sum(x => (x - mean) * (x - mean)) / (caps.Count - 1)) : 1;
                series = [new($"BTC-USDT:{OnChainSeriesNames.MarketCap}", T0.AddDays(d), mc), new($"BTC-USDT:{OnChainSeriesNames.RealisedCap}", T0.AddDays(d), mc - z * sd)];
            }
            yield return new MarketUpdate(d, bar.CloseTime, [new SymbolBar("BTC-USDT", bar)], [], series);
        }
    }

    private async Task<RegimeAssessment> Run(string key, double? gapInStd)
    {
        var grain = firm.Grains.GetGrain<IStrategicGrain>(key);
        RegimeAssessment last = null!;
        foreach (var update in Days(90, gapInStd)) last = await grain.AssessAsync(update);
        return last;
    }

    [Fact]
    public async Task An_overvalued_mvrv_z_halves_the_risk_budget_and_a_fair_one_leaves_it()
    {
        var plain = await Run("strategic-plain", null);
        var rich = await Run("strategic-rich", 5.0);
        var fair = await Run("strategic-fair", 2.0);

        Assert.Equal(plain.Regime, rich.Regime); // the volatility regime is untouched
        Assert.Equal(plain.RiskBudget * 0.5, rich.RiskBudget, 12);
        Assert.Contains("on-chain overvalued (BTC-USDT, MVRV Z 5.00)", rich.Rationale);
        Assert.Equal(plain.RiskBudget, fair.RiskBudget);
        Assert.DoesNotContain("on-chain", fair.Rationale);
    }
}
