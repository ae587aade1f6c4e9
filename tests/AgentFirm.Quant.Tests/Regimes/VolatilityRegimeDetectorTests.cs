using AgentFirm.Core;
using AgentFirm.Quant.Regimes;

namespace AgentFirm.Quant.Tests.Regimes;

public sealed class VolatilityRegimeDetectorTests
{
    private static readonly DateTimeOffset T0 = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static Bar Daily(int day, double close) => new(T0.AddDays(day), TimeSpan.FromDays(1), close, close, close, close, 1);

    private static double[] ClosesFromLogReturns(params double[] returns)
    {
        var closes = new List<double> { 100 };
        var cumulative = 0.0;
        foreach (var r in returns) closes.Add(100 * Math.Exp(cumulative += r));
        return closes.ToArray();
    }

    [Fact]
    public void Ranks_short_window_volatility_against_its_own_history_so_far()
    {
        // Window 2: vol = |r1 - r2| / sqrt(2) x sqrt(365). Readings: 0.02, 0.02, 0.02 (warm-up, 3 needed),
        // then 0.06 (above all 3 -> rank 1.0, Turbulent), 0.10 (4/4, Turbulent), 0.05 (3 of 5 below -> 0.6,
        // Normal), 0.00 (0 of 6 -> Calm), all in units of sqrt(365/2).
        var closes = ClosesFromLogReturns(0.01, -0.01, 0.01, -0.01, 0.05, -0.05, 0, 0);
        var detector = new VolatilityRegimeDetector(new VolatilityRegimeOptions { VolatilityWindow = 2, MinHistory = 3 }, Timeframe.Day);

        var readings = closes.Select((c, i) => detector.Update(Daily(i, c))).ToArray();

        Assert.Equal(
            [Regime.Normal, Regime.Normal, Regime.Normal, Regime.Normal, Regime.Normal, Regime.Turbulent, Regime.Turbulent, Regime.Normal, Regime.Calm],
            readings.Select(r => r.Regime));
        Assert.All(readings.Take(5), r => Assert.False(r.IsReady));
        Assert.Equal("normal while warming up: 2 of 3 earlier volatility readings", readings[4].Reason);
        Assert.Equal(0.8105553651663776, readings[5].Volatility!.Value, 9);
        Assert.Equal(1.0, readings[5].VolatilityPercentile);
        Assert.Equal(1.3509256086106296, readings[6].Volatility!.Value, 9);
        Assert.Equal(0.6, readings[7].VolatilityPercentile!.Value, 12);
        Assert.Equal("normal: volatility ranks at 60% of its history", readings[7].Reason);
        Assert.Equal(0.0, readings[8].VolatilityPercentile!.Value, 12);
        Assert.Equal("calm: volatility ranks at 0% of its history, below 25%", readings[8].Reason);
        Assert.Equal(Daily(8, 0).CloseTime, readings[8].AsOf);
    }

    [Fact]
    public void Equal_readings_count_half_so_a_flat_history_ranks_in_the_middle()
    {
        var detector = new VolatilityRegimeDetector(new VolatilityRegimeOptions { VolatilityWindow = 2, MinHistory = 2 }, Timeframe.Day);
        var closes = new[] { 100.0, 110, 100, 110, 100, 110 }; // every window holds ln 1.1 and -ln 1.1: equal readings

        var last = closes.Select((c, i) => detector.Update(Daily(i, c))).Last();

        Assert.Equal(0.5, last.VolatilityPercentile);
        Assert.Equal(Regime.Normal, last.Regime);
    }

    [Fact]
    public void A_drawdown_at_the_crisis_threshold_is_a_crisis_even_while_warming_up()
    {
        var options = new VolatilityRegimeOptions { CrisisDrawdown = 0.25 };
        var crisis = new VolatilityRegimeDetector(options, Timeframe.Day);
        var nearly = new VolatilityRegimeDetector(options, Timeframe.Day);
        double[] start = [100, 110, 120];
        for (var i = 0; i < start.Length; i++)
        {
            crisis.Update(Daily(i, start[i]));
            nearly.Update(Daily(i, start[i]));
        }

        var reading = crisis.Update(Daily(3, 90));  // 1 - 90/120 = 25%

        Assert.Equal(Regime.Crisis, reading.Regime);
        Assert.Equal(0.25, reading.Drawdown, 12);
        Assert.Equal("crisis: drawdown 25.0% from the peak close, threshold 25.0%", reading.Reason);
        Assert.Equal(Regime.Normal, nearly.Update(Daily(3, 91)).Regime); // 24.2%
    }

    [Fact]
    public void Detector_is_as_of_appending_future_bars_never_changes_a_past_reading()
    {
        var random = new Random(11);
        var closes = new List<double> { 100 };
        for (var i = 1; i < 300; i++)
        {
            var scale = i is > 150 and < 200 ? 0.12 : 0.03; // a turbulent stretch
            closes.Add(closes[^1] * Math.Exp(scale * (random.NextDouble() - 0.52)));
        }
        var options = new VolatilityRegimeOptions { VolatilityWindow = 10, MinHistory = 20 };

        var full = new VolatilityRegimeDetector(options, Timeframe.Day);
        var readings = closes.Select((c, i) => full.Update(Daily(i, c))).ToList();
        Assert.Contains(readings, r => r.Regime == Regime.Turbulent);
        Assert.Contains(readings, r => r.Regime == Regime.Calm);

        foreach (var cut in new[] { 1, 12, 35, 160, 299 })
        {
            var prefix = new VolatilityRegimeDetector(options, Timeframe.Day);
            RegimeReading? last = null;
            for (var i = 0; i < cut; i++) last = prefix.Update(Daily(i, closes[i]));
            Assert.Equal(readings[cut - 1], last);
        }
    }

    [Fact]
    public void Out_of_order_bars_and_nonsense_options_are_rejected()
    {
        var detector = new VolatilityRegimeDetector(new VolatilityRegimeOptions(), Timeframe.Day);
        detector.Update(Daily(5, 100));
        Assert.Throws<ArgumentException>(() => detector.Update(Daily(5, 101)));

        var error = Assert.Throws<ArgumentException>(() => new VolatilityRegimeDetector(new VolatilityRegimeOptions { CalmBelowPercentile = 0.9 }, Timeframe.Day));
        Assert.Equal("CalmBelowPercentile", error.ParamName);
    }
}

public sealed class ExpandingRankTests
{
    [Fact]
    public void Rank_matches_a_plain_count_over_many_blocks_with_ties()
    {
        var random = new Random(3);
        var rank = new ExpandingRank();
        var plain = new List<double>();
        for (var i = 0; i < 3_000; i++)
        {
            var x = Math.Round(random.NextDouble() * 50) / 10; // many ties
            var query = Math.Round(random.NextDouble() * 52 - 1) / 10;
            Assert.Equal((plain.Count(v => v < query), plain.Count(v => v == query)), rank.Rank(query));
            rank.Add(x);
            plain.Add(x);
        }
        Assert.Equal(3_000, rank.Count);
    }
}

public sealed class RiskBudgetTests
{
    [Theory]
    [InlineData(Regime.Calm, 1.0)]
    [InlineData(Regime.Normal, 0.8)]
    [InlineData(Regime.Turbulent, 0.5)]
    [InlineData(Regime.Crisis, 0.2)]
    public void Default_budget_per_regime(Regime regime, double budget) => Assert.Equal(budget, new RiskBudget().For(regime));

    [Fact]
    public void Budget_is_configurable_and_validated()
    {
        var budget = new RiskBudget { Turbulent = 0.3, Crisis = 0 };
        budget.Validate();
        Assert.Equal(0.3, budget.For(Regime.Turbulent));
        Assert.Equal(0, budget.For(Regime.Crisis));
        Assert.Equal(0, budget.For((Regime)42)); // unknown: the crisis budget

        Assert.Equal("Calm", Assert.Throws<ArgumentException>(() => new RiskBudget { Calm = 1.5 }.Validate()).ParamName);
        Assert.Equal("Normal", Assert.Throws<ArgumentException>(() => new RiskBudget { Normal = double.NaN }.Validate()).ParamName);
    }
}
