using AgentFirm.Core;
using AgentFirm.Market.Simulation;
using AgentFirm.Quant.OnChain;

namespace AgentFirm.Quant.Tests.OnChain;

public sealed class OnChainAnalystTests
{
    private static readonly DateTimeOffset T0 = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static SimulationResult Simulate(OnChainSettings settings) => new MarketSimulator(new SimulatorOptions
    {
        Seed = 21,
        Days = 3650,
        Timeframe = Timeframe.Day,
        SentimentStrength = 0,
        OnChain = settings,
    }).Run();

    private static OnChainAnalyst AnalystFor(SimulationResult sim, OnChainAnalystOptions? options) => new(sim.Assets.ToDictionary(
        a => a.Symbol,
        a => (IReadOnlyList<OnChainObservation>)a.OnChain.Select(r => new OnChainObservation(r.Time, r.KnownAt, r.Mvrv, r.ExchangeNetflow, r.ActiveAddresses)).ToArray()),
        options);

    /// <summary>Per asset and day d (decision at the close of d): the reading, the view and the log returns of day d+1 and of day d+2.</summary>
    private static List<(OnChainReading Reading, AgentView View, double Next, double DayAfter)> Walk(SimulationResult sim, OnChainAnalystOptions? options = null)
    {
        var analyst = AnalystFor(sim, options);
        var rows = new List<(OnChainReading, AgentView, double, double)>();
        foreach (var asset in sim.Assets)
        {
            var bars = asset.Bars;
            for (var d = 0; d + 2 < bars.Count; d++)
            {
                var asOf = bars[d].CloseTime;
                var view = analyst.Assess(asset.Symbol, asOf);
                Assert.Equal("onchain", view.Agent);
                var r1 = Math.Log(bars[d + 1].Close / bars[d].Close);
                var r2 = Math.Log(bars[d + 2].Close / bars[d + 1].Close);
                rows.Add((analyst.Read(asset.Symbol, asOf), view, r1, r2));
            }
        }
        return rows;
    }

    private static double Corr(IEnumerable<(double X, double Y)> pairs)
    {
        var p = pairs.ToArray();
        double mx = p.Average(q => q.X), my = p.Average(q => q.Y), sxy = 0, sxx = 0, syy = 0;
        foreach (var (x, y) in p)
        {
            sxy += (x - mx) * (y - my);
            sxx += (x - mx) * (x - mx);
            syy += (y - my) * (y - my);
        }
        return sxy / Math.Sqrt(sxx * syy);
    }

    [Fact]
    public void Views_and_each_rule_recover_the_planted_signs_on_simulator_data()
    {
        var sim = Simulate(new OnChainSettings());
        var walk = Walk(sim);
        // about 11,000 pooled days (three correlated assets): one standard error of a correlation is about 0.012;
        // the planted coefficients (0.15, 0.15, 0.10 daily vols) put the true correlations near 0.04 to 0.1
        var view = Corr(walk.Select(w => (w.View.Direction, w.Next)));
        var valuation = Corr(walk.Where(w => w.Reading.Valuation is not null).Select(w => (w.Reading.Valuation!.Value, w.Next)));
        var flow = Corr(walk.Where(w => w.Reading.Flow is not null).Select(w => (w.Reading.Flow!.Value, w.Next)));
        Assert.True(view > 0.03, $"view vs next-day return {view:F3}");
        Assert.True(valuation > 0.02, $"valuation (rich MVRV = negative) vs next-day return {valuation:F3}");
        Assert.True(flow > 0.015, $"flow (inflows = negative) vs next-day return {flow:F3}");

        // The default weekly growth dilutes the planted one-day shock sevenfold; read daily growth to see the
        // rule's sign at the planted lag: growth on day d drives the return of day d+2.
        var daily = Walk(sim, OnChainAnalystOptions.Default with { ActivityGrowthDays = 1 });
        var activity = Corr(daily.Where(w => w.Reading.Activity is not null).Select(w => (w.Reading.Activity!.Value, w.DayAfter)));
        Assert.True(activity > 0.04, $"daily active-address growth vs the return two days later {activity:F3}");
    }

    [Fact]
    public void Views_carry_no_signal_when_nothing_is_planted()
    {
        var walk = Walk(Simulate(new OnChainSettings(MvrvStrength: 0, NetflowStrength: 0, ActiveAddressStrength: 0)));
        var view = Corr(walk.Select(w => (w.View.Direction, w.Next)));
        Assert.True(Math.Abs(view) < 0.04, $"view vs next-day return {view:F3} should be about 0");
    }

    private static OnChainObservation Day(int d, double? mvrv, double? netflow, double? active) =>
        new(T0.AddDays(d), T0.AddDays(d + 1), mvrv, netflow, active);

    [Fact]
    public void A_day_is_used_only_after_it_has_ended()
    {
        var rows = Enumerable.Range(0, 100).Select(d => Day(d, 1 + 0.01 * (d % 7), d % 3 - 1, 1000 + d)).ToList();
        rows.Add(Day(100, 5.0, 50, 2000)); // a wild day that must stay invisible until its end
        var analyst = new OnChainAnalyst(new Dictionary<string, IReadOnlyList<OnChainObservation>> { ["BTC-USDT"] = rows });

        var during = analyst.Read("BTC-USDT", T0.AddDays(100).AddHours(23));
        Assert.Equal(T0.AddDays(99), during.LatestPeriod);
        var after = analyst.Read("BTC-USDT", T0.AddDays(101));
        Assert.Equal(T0.AddDays(100), after.LatestPeriod);
        Assert.Equal(ValuationRegime.Overvalued, after.Regime);
        Assert.True(after.Valuation < -0.5);
        Assert.True(after.Flow < 0, "large inflows to exchanges are bearish");
        Assert.True(after.Activity > 0, "a jump in active addresses is bullish");

        // going back in time recounts: the earlier reading is reproduced exactly
        Assert.Equal(during, analyst.Read("BTC-USDT", T0.AddDays(100).AddHours(23)));
    }

    [Fact]
    public void Past_readings_do_not_change_when_later_rows_arrive()
    {
        var rows = Enumerable.Range(0, 120).Select(d => Day(d, 1 + 0.3 * Math.Sin(d / 9.0), Math.Cos(d / 4.0), 1000 * Math.Exp(0.002 * d + 0.01 * Math.Sin(d)))).ToArray();
        var early = new OnChainAnalyst(new Dictionary<string, IReadOnlyList<OnChainObservation>> { ["X-USDT"] = rows[..90] });
        var full = new OnChainAnalyst(new Dictionary<string, IReadOnlyList<OnChainObservation>> { ["X-USDT"] = rows });
        for (var d = 60; d <= 90; d++)
            Assert.Equal(early.Assess("X-USDT", T0.AddDays(d)), full.Assess("X-USDT", T0.AddDays(d)), AgentViewComparer.Instance);
    }

    [Fact]
    public void Missing_cells_mask_their_rule_and_are_never_filled()
    {
        var rows = Enumerable.Range(0, 80).Select(d => Day(d, 1 + 0.01 * (d % 5), d % 2 == 0 ? 1 : -1, 1000 + d)).ToList();
        rows.Add(Day(80, null, null, null));
        // A week of netflow with at least four values, so one missing day leaves the flow rule standing.
        var weekly = OnChainAnalystOptions.Default with { NetflowWindowDays = 7, NetflowMinValues = 4 };
        var analyst = new OnChainAnalyst(new Dictionary<string, IReadOnlyList<OnChainObservation>> { ["BTC-USDT"] = rows }, weekly);
        var reading = analyst.Read("BTC-USDT", T0.AddDays(81));
        Assert.Null(reading.Valuation);
        Assert.Null(reading.Activity);
        Assert.NotNull(reading.Flow); // six of the last seven days still have netflow
        var view = analyst.Assess("BTC-USDT", T0.AddDays(81));
        Assert.DoesNotContain(view.Evidence, e => e.Name == "mvrv_z");
        Assert.True(view.Confidence <= 1.0 / 3 + 1e-12, "one rule of three: coverage caps confidence");
    }

    [Fact]
    public void Warm_up_and_unknown_assets_give_neutral_views()
    {
        var rows = Enumerable.Range(0, 10).Select(d => Day(d, 1.5, 1, 1000)).ToArray();
        var analyst = new OnChainAnalyst(new Dictionary<string, IReadOnlyList<OnChainObservation>> { ["BTC-USDT"] = rows });
        Assert.Equal(0, analyst.Assess("BTC-USDT", T0.AddDays(10)).Confidence);
        Assert.Equal(0, analyst.Assess("DOGE-USDT", T0.AddDays(10)).Confidence);
    }

    [Fact]
    public void Bad_settings_and_out_of_order_rows_are_refused()
    {
        Assert.Throws<BadInputException>(() => new OnChainAnalyst(options: OnChainAnalystOptions.Default with { OvervaluedZ = -2 }));
        Assert.Throws<BadInputException>(() => new OnChainAnalyst(options: OnChainAnalystOptions.Default with { NetflowMinValues = 9 }));
        var analyst = new OnChainAnalyst();
        analyst.Append("BTC-USDT", Day(5, 1, 1, 1));
        Assert.Throws<ArgumentException>(() => analyst.Append("BTC-USDT", Day(4, 1, 1, 1)));
    }

    /// <summary>Market cap grows steadily and realised cap lags it by a chosen gap, so the MVRV Z can be steered.</summary>
    private static List<OnChainObservation> Caps(int days, Func<int, double> gapInStd)
    {
        var rows = new List<OnChainObservation>();
        var caps = new List<double>();
        for (var d = 0; d < days; d++)
        {
            var mc = 1000 + 10 * d;
            caps.Add(mc);
            var mean = caps.Average();
            var sd = caps.Count > 1 ? Math.Sqrt(caps.Sum(x => (x - mean) * (x - mean)) / (caps.Count - 1)) : 1;
            rows.Add(Day(d, null, null, null) with { MarketCap = mc, RealisedCap = mc - gapInStd(d) * sd });
        }
        return rows;
    }

    [Theory]
    [InlineData(4.0, ValuationRegime.Overvalued)]
    [InlineData(3.75, ValuationRegime.Overvalued)]
    [InlineData(2.0, ValuationRegime.Fair)]
    [InlineData(0.95, ValuationRegime.Undervalued)]
    [InlineData(-0.5, ValuationRegime.Undervalued)]
    public void Mvrv_z_score_sets_the_regime_with_the_configured_thresholds(double z, ValuationRegime expected)
    {
        var analyst = new OnChainAnalyst(new Dictionary<string, IReadOnlyList<OnChainObservation>> { ["BTC-USDT"] = Caps(100, _ => z) });
        var reading = analyst.Read("BTC-USDT", T0.AddDays(100));
        Assert.Equal(z, reading.MvrvZ!.Value, 6);
        Assert.Equal(expected, reading.Regime);
        // the valuation component maps the thresholds to -/+tanh(1) and their middle to 0
        Assert.Equal(-Math.Tanh((z - 2.35) / 1.35), reading.Valuation!.Value, 6);
        var view = analyst.Assess("BTC-USDT", T0.AddDays(100));
        Assert.Contains(view.Evidence, e => e.Name == "mvrv_z");
        Assert.DoesNotContain(view.Evidence, e => e.Name == "mvrv_ratio_z");

        var strict = new OnChainAnalyst(new Dictionary<string, IReadOnlyList<OnChainObservation>> { ["BTC-USDT"] = Caps(100, _ => z) },
            OnChainAnalystOptions.Default with { OvervaluedMvrvZ = 5, UndervaluedMvrvZ = -1 });
        Assert.Equal(z <= -1 ? ValuationRegime.Undervalued : ValuationRegime.Fair, strict.Read("BTC-USDT", T0.AddDays(100)).Regime);
    }

    [Fact]
    public void Mvrv_z_score_waits_for_its_warm_up()
    {
        var analyst = new OnChainAnalyst(new Dictionary<string, IReadOnlyList<OnChainObservation>> { ["BTC-USDT"] = Caps(59, _ => 5) });
        var reading = analyst.Read("BTC-USDT", T0.AddDays(59));
        Assert.Null(reading.MvrvZ);
        Assert.Equal(ValuationRegime.Unknown, reading.Regime);
    }

    [Fact]
    public void Sopr_above_one_is_profit_taking_and_below_one_capitulation()
    {
        OnChainReading ReadWith(double sopr, double? sth)
        {
            var rows = Enumerable.Range(0, 10).Select(d => Day(d, null, null, null) with { Sopr = sopr, SthSopr = sth }).ToArray();
            return new OnChainAnalyst(new Dictionary<string, IReadOnlyList<OnChainObservation>> { ["BTC-USDT"] = rows }).Read("BTC-USDT", T0.AddDays(10));
        }
        var profit = ReadWith(1.02, null);
        Assert.Equal(1.02, profit.SoprMean!.Value, 12);
        Assert.Equal(-Math.Tanh(0.02 / 0.01 / 2), profit.ProfitTaking!.Value, 12); // about -0.76: sellers are banking gains
        Assert.True(ReadWith(0.97, null).ProfitTaking > 0.5, "selling at a loss is capitulation: contrarian bullish");
        Assert.Equal(0.97, ReadWith(1.05, 0.97).SoprMean!.Value, 12); // short-term holders' SOPR is preferred

        var rows = Enumerable.Range(0, 10).Select(d => Day(d, null, null, null) with { Sopr = 1.02 }).ToArray();
        var view = new OnChainAnalyst(new Dictionary<string, IReadOnlyList<OnChainObservation>> { ["BTC-USDT"] = rows }).Assess("BTC-USDT", T0.AddDays(10));
        Assert.True(view.Direction < -0.7);
        Assert.Contains(view.Evidence, e => e.Name == "sopr_mean" && Math.Abs(e.Value - 1.02) < 1e-12);
        Assert.Contains("profit taking", view.Rationale);
    }

    [Fact]
    public void Risk_filter_shrinks_the_budget_for_the_richest_asset_only_when_overvalued()
    {
        var filter = new OnChainRiskFilter(OvervaluedFactor: 0.4);
        OnChainReading R(string symbol, ValuationRegime regime, double? z) => OnChainReading.Empty(symbol, T0) with { Regime = regime, MvrvZ = z };
        Assert.Equal((0.8, null), filter.Apply(0.8, [R("BTC-USDT", ValuationRegime.Fair, 2), R("ETH-USDT", ValuationRegime.Unknown, null)]));
        Assert.Equal((0.8, null), filter.Apply(0.8, [R("BTC-USDT", ValuationRegime.Undervalued, 0.5)]));
        var (budget, note) = filter.Apply(0.8, [R("ETH-USDT", ValuationRegime.Fair, 2), R("BTC-USDT", ValuationRegime.Overvalued, 4.2)]);
        Assert.Equal(0.32, budget, 12);
        Assert.Equal("on-chain overvalued (BTC-USDT, MVRV Z 4.20): budget x0.4", note);
        Assert.Throws<BadInputException>(() => new OnChainRiskFilter(OvervaluedFactor: 1.5).Validate());
    }

    private sealed class AgentViewComparer : IEqualityComparer<AgentView>
    {
        public static readonly AgentViewComparer Instance = new();
        public bool Equals(AgentView? a, AgentView? b) =>
            a is not null && b is not null && a.Direction == b.Direction && a.Confidence == b.Confidence && a.Rationale == b.Rationale &&
            a.Evidence.SequenceEqual(b.Evidence);
        public int GetHashCode(AgentView v) => v.Direction.GetHashCode();
    }
}
