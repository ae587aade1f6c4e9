using AgentFirm.Core;
using AgentFirm.Quant.OnChain;
using AgentFirm.TestSupport;

namespace AgentFirm.Quant.Tests.OnChain;

public sealed class OnChainMetricsTests
{
    private static readonly DateTimeOffset T0 = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static OnChainObservation Day(int d) => new(T0.AddDays(d), T0.AddDays(d + 1), null, null, null);

    [Fact]
    public void Mvrv_z_divides_the_cap_gap_by_the_expanding_sample_deviation_of_market_cap()
    {
        // Glassnode: MVRV Z = (market cap - realised cap) / std(market cap), std "computed cumulatively from the
        // first available data point to the present day" (studio.glassnode.com/charts/market.MvrvZScore).
        var rows = new[]
        {
            Day(0) with { MarketCap = 100, RealisedCap = 80 },
            Day(1) with { MarketCap = 110, RealisedCap = 85 },
            Day(2) with { MarketCap = 130, Mvrv = 130.0 / 90 }, // realised cap derived from market cap / MVRV
        };
        var m = OnChainMetrics.Compute(rows, new OnChainMetricOptions(MvrvZMinValues: 2));

        Assert.Null(m[0].MvrvZ); // one value has no deviation
        Assert.Equal(1.25, m[0].Mvrv!.Value, 12); // 100 / 80
        // day 1: caps {100, 110}: mean 105, sample variance (25 + 25) / 1 = 50
        Assert.Equal((110 - 85) / Math.Sqrt(50), m[1].MvrvZ!.Value, 12); // 3.5355
        // day 2: caps {100, 110, 130}: mean 340/3, squared deviations 1600/9 + 100/9 + 2500/9 = 4200/9, / 2 = 233.33
        Assert.Equal((130 - 90) / Math.Sqrt(4200.0 / 9 / 2), m[2].MvrvZ!.Value, 9); // 2.6186
    }

    [Fact]
    public void Mvrv_z_matches_a_direct_two_pass_computation_on_a_long_series()
    {
        var random = new Random(3);
        var rows = new List<OnChainObservation>();
        double cap = 1e11;
        for (var d = 0; d < 600; d++)
        {
            cap *= Math.Exp(0.03 * (random.NextDouble() - 0.5));
            rows.Add(Day(d) with { MarketCap = d % 17 == 5 ? null : cap, RealisedCap = cap / (1 + random.NextDouble()) });
        }
        var m = OnChainMetrics.Compute(rows, new OnChainMetricOptions(MvrvZMinValues: 30));
        var seen = new List<double>();
        for (var i = 0; i < rows.Count; i++)
        {
            if (rows[i].MarketCap is not { } mc) { Assert.Null(m[i].MvrvZ); continue; }
            seen.Add(mc);
            if (seen.Count < 30) { Assert.Null(m[i].MvrvZ); continue; }
            var mean = seen.Average();
            var sd = Math.Sqrt(seen.Sum(x => (x - mean) * (x - mean)) / (seen.Count - 1));
            Assert.Equal((mc - rows[i].RealisedCap!.Value) / sd, m[i].MvrvZ!.Value, 8);
        }
    }

    [Fact]
    public void Netflow_and_sopr_means_cover_the_last_seven_days_and_skip_missing_days()
    {
        // netflow on day d is d + 1, day 5 missing; SOPR 1 + d/100
        var rows = Enumerable.Range(0, 10).Select(d => Day(d) with { ExchangeNetflow = d == 5 ? null : d + 1, Sopr = 1 + d / 100.0, SthSopr = d == 9 ? 0.9 : null }).ToArray();
        var m = OnChainMetrics.Compute(rows); // coverage 0.5 of a 7-day window: at least 4 values
        Assert.Null(m[2].NetflowMean); // three values so far
        Assert.Equal((1 + 2 + 3 + 4) / 4.0, m[3].NetflowMean!.Value, 12);
        Assert.Equal((2 + 3 + 4 + 5 + 7 + 8) / 6.0, m[7].NetflowMean!.Value, 12); // days 1..7, day 5 missing
        Assert.Equal((4 + 5 + 7 + 8 + 9 + 10) / 6.0, m[9].NetflowMean!.Value, 12); // days 3..9
        Assert.Null(m[5].Netflow);
        Assert.Equal(1 + (3 + 4 + 5 + 6 + 7 + 8 + 9) / 700.0, m[9].SoprMean!.Value, 12);
        Assert.Equal(0.9, m[9].SthSopr);
        Assert.Null(m[9].SthSoprMean); // one value of seven
    }

    [Fact]
    public void Stablecoin_supply_ratio_and_active_address_growth()
    {
        var rows = Enumerable.Range(0, 9).Select(d => Day(d) with { ActiveAddresses = 1000 + 10 * d, MarketCap = 1000, StablecoinSupply = d == 0 ? 0 : 250 }).ToArray();
        var m = OnChainMetrics.Compute(rows);
        Assert.Null(m[0].StablecoinSupplyRatio); // no stablecoins yet: undefined, not infinite
        Assert.Equal(4.0, m[1].StablecoinSupplyRatio);
        Assert.Null(m[6].ActiveAddressGrowth); // needs the value exactly seven days back
        Assert.Equal(Math.Log(1070.0 / 1000), m[7].ActiveAddressGrowth!.Value, 12);
        Assert.Equal(Math.Log(1080.0 / 1010), m[8].ActiveAddressGrowth!.Value, 12);
    }

    [Fact]
    public void Hash_ribbon_is_the_short_over_long_mean_and_flags_the_recovery_cross()
    {
        double[] hash = [10, 10, 10, 10, 6, 6, 10, 14];
        var rows = hash.Select((h, d) => Day(d) with { HashRate = h }).ToArray();
        var m = OnChainMetrics.Compute(rows, new OnChainMetricOptions(HashShortDays: 2, HashLongDays: 4, MinCoverage: 1));
        Assert.Null(m[2].HashRibbon); // the long window holds three of four days
        Assert.Equal(1.0, m[3].HashRibbon!.Value, 12);
        Assert.Equal(8.0 / 9.0, m[4].HashRibbon!.Value, 12);  // (10+6)/2 over (10+10+10+6)/4: capitulation starts
        Assert.Equal(6.0 / 8.0, m[5].HashRibbon!.Value, 12);
        Assert.Equal(1.0, m[6].HashRibbon!.Value, 12);        // (6+10)/2 over (10+6+6+10)/4: back to 1
        Assert.Equal(12.0 / 9.0, m[7].HashRibbon!.Value, 12);
        Assert.Equal([false, false, false, false, false, false, true, false], m.Select(r => r.HashRecovery));
        Assert.Equal(9.0, m[7].HashRateLongMean!.Value, 12);
    }

    [Fact]
    public void Hourly_rows_use_calendar_windows()
    {
        // 48 hourly rows: a one-day mean of SOPR spans 24 rows and needs 12 of them at 50% coverage
        var rows = Enumerable.Range(0, 48).Select(h => new OnChainObservation(T0.AddHours(h), T0.AddHours(h + 1), null, null, h, Sopr: h < 30 ? 1.0 : 1.1)).ToArray();
        var m = OnChainMetrics.Compute(rows, new OnChainMetricOptions(SoprWindowDays: 1, ActiveAddressGrowthDays: 1));
        Assert.Null(m[10].SoprMean);
        Assert.Equal(1.0, m[11].SoprMean!.Value, 12);
        Assert.Equal((6 * 1.0 + 18 * 1.1) / 24, m[47].SoprMean!.Value, 12); // hours 24..47
        Assert.Equal(Math.Log(47.0 / 23.0), m[47].ActiveAddressGrowth!.Value, 12);
    }

    [Fact]
    public void Appending_future_rows_never_changes_a_past_value()
    {
        var random = new Random(11);
        double? Maybe(double v) => random.NextDouble() < 0.1 ? null : v;
        var rows = Enumerable.Range(0, 400).Select(d => new OnChainObservation(T0.AddDays(d), T0.AddDays(d + 1),
            Maybe(1 + random.NextDouble()), Maybe(random.NextDouble() - 0.5), Maybe(1000 + 100 * random.NextDouble()),
            Maybe(1e9 * (1 + d / 100.0)), Maybe(5e8), Maybe(0.95 + 0.1 * random.NextDouble()), Maybe(0.9 + 0.2 * random.NextDouble()),
            Maybe(1e8), Maybe(100 + random.NextDouble() * 10))).ToArray();
        var full = OnChainMetrics.Compute(rows);
        foreach (var length in new[] { 1, 59, 60, 61, 200, 399 })
        {
            var prefix = OnChainMetrics.Compute(rows[..length]);
            for (var i = 0; i < length; i++) Assert.Equal(prefix[i], full[i]);
        }
        // and a wild future does not move the past either
        var changed = rows.ToArray();
        for (var i = 300; i < changed.Length; i++) changed[i] = changed[i] with { MarketCap = 1e15, HashRate = 1e-3, ExchangeNetflow = 1e6 };
        var other = OnChainMetrics.Compute(changed);
        for (var i = 0; i < 300; i++) Assert.Equal(full[i], other[i]);
    }

    [Fact]
    public void Bad_settings_and_unordered_rows_are_refused()
    {
        Assert.Throws<BadInputException>(() => new OnChainMetricsBuilder(new OnChainMetricOptions(HashShortDays: 60, HashLongDays: 30)));
        Assert.Throws<BadInputException>(() => new OnChainMetricsBuilder(new OnChainMetricOptions(MinCoverage: 0)));
        Assert.Throws<BadInputException>(() => new OnChainMetricsBuilder(new OnChainMetricOptions(MvrvZMinValues: 1)));
        var builder = new OnChainMetricsBuilder();
        builder.Add(Day(3));
        Assert.Throws<ArgumentException>(() => builder.Add(Day(3)));
        Assert.Throws<ArgumentException>(() => builder.Add(Day(2)));
    }

    [SkippableFact]
    public void Real_btc_mvrv_z_is_in_the_top_zone_at_the_2017_peak_and_low_at_the_2018_bottom()
    {
        var rows = OnChainCsvLoader.Load(SharedData.RequireFile("onchain/btc_mvrv_marketcap.csv"));
        var m = OnChainMetrics.Compute(rows);
        double Z(string day) => m.Single(r => r.Time == DateTimeOffset.Parse(day + "T00:00:00Z")).MvrvZ!.Value;
        // BTC closed near 19,000 USD on 2017-12-16 and near 3,200 USD on 2018-12-15; the published (full-history)
        // MVRV Z chart shows the first in its red zone (> 7) and the second in its green zone (< 0).
        Assert.True(Z("2017-12-16") > 3.7, $"2017 top: MVRV Z {Z("2017-12-16"):F2}");
        Assert.True(Z("2018-12-15") < 1.0, $"2018 bottom: MVRV Z {Z("2018-12-15"):F2}");
    }
}
