using AgentFirm.Core;
using AgentFirm.Market.Simulation;

namespace AgentFirm.Market.Tests.Simulation;

public sealed class MarketSimulatorTests
{
    private static SimulationResult Simulate(SimulatorOptions options) => new MarketSimulator(options).Run();

    [Fact]
    public void Same_options_give_identical_bars_headlines_and_onchain()
    {
        var options = new SimulatorOptions { Seed = 7, Days = 20 };
        var a = Simulate(options);
        var b = Simulate(options);
        for (var i = 0; i < a.Assets.Count; i++)
        {
            Assert.Equal(a.Assets[i].Bars, b.Assets[i].Bars);
            Assert.Equal(a.Assets[i].OnChain, b.Assets[i].OnChain);
        }
        Assert.Equal(a.Headlines, b.Headlines);
        Assert.Equal(a.DailyRegimes, b.DailyRegimes);
    }

    [Fact]
    public void A_different_seed_gives_a_different_market()
    {
        var a = Simulate(new SimulatorOptions { Seed = 1, Days = 5 });
        var b = Simulate(new SimulatorOptions { Seed = 2, Days = 5 });
        Assert.NotEqual(a.Assets[0].Bars[^1].Close, b.Assets[0].Bars[^1].Close);
        Assert.NotEqual(a.Headlines.Select(h => h.Text), b.Headlines.Select(h => h.Text));
    }

    [Fact]
    public void Headline_rate_does_not_change_prices()
    {
        // Each component draws from its own random stream.
        var a = Simulate(new SimulatorOptions { Seed = 3, Days = 10, HeadlinesPerDay = 1 });
        var b = Simulate(new SimulatorOptions { Seed = 3, Days = 10, HeadlinesPerDay = 9 });
        Assert.Equal(a.Assets[1].Bars, b.Assets[1].Bars);
        Assert.NotEqual(a.Headlines.Count, b.Headlines.Count);
    }

    [Theory]
    [InlineData("1h", 120)]
    [InlineData("1d", 2000)]
    [InlineData("15m", 10)]
    public void Bars_tile_time_and_are_consistent_and_positive(string timeframe, int days)
    {
        var tf = Timeframe.Parse(timeframe);
        var result = Simulate(new SimulatorOptions { Seed = 11, Days = days, Timeframe = tf });
        foreach (var asset in result.Assets)
        {
            Assert.Equal(days * result.Options.BarsPerDay, asset.Bars.Count);
            Assert.Equal(asset.Profile.StartPrice, asset.Bars[0].Open, 6);
            for (var t = 0; t < asset.Bars.Count; t++)
            {
                var bar = asset.Bars[t];
                Assert.Equal(result.Options.Start + tf.Duration * t, bar.Time);
                Assert.Equal(tf.Duration, bar.Duration);
                Assert.True(bar.Low > 0 && bar.Volume > 0, $"{asset.Symbol} bar {t}: non-positive low or volume");
                Assert.True(bar.Low <= Math.Min(bar.Open, bar.Close) && Math.Max(bar.Open, bar.Close) <= bar.High,
                    $"{asset.Symbol} bar {t}: inconsistent OHLC {bar}");
                if (t > 0) Assert.Equal(asset.Bars[t - 1].Close, bar.Open);
            }
            Assert.Equal(days, asset.OnChain.Count);
        }
    }

    [Fact]
    public void Realised_volatility_and_correlation_are_near_the_configured_values()
    {
        var result = Simulate(new SimulatorOptions { Seed = 5, Days = 3 * 365 });
        var barsPerDay = result.Options.BarsPerDay;
        var daily = result.Assets.ToDictionary(a => a.Symbol, a => SimStats.DailyLogReturns(a, barsPerDay));
        foreach (var asset in result.Assets)
        {
            var r = daily[asset.Symbol];
            var mean = r.Average();
            var vol = Math.Sqrt(r.Sum(x => (x - mean) * (x - mean)) / (r.Length - 1) * 365);
            var ratio = vol / asset.Profile.AnnualVolatility;
            Assert.True(ratio is > 0.75 and < 1.3, $"{asset.Symbol}: realised vol {vol:F3} vs configured {asset.Profile.AnnualVolatility}");
        }
        for (var i = 0; i < result.Assets.Count; i++)
            for (var j = i + 1; j < result.Assets.Count; j++)
            {
                var measured = SimStats.Correlation(daily[result.Assets[i].Symbol], daily[result.Assets[j].Symbol]);
                var configured = result.Correlation[i, j];
                Assert.True(Math.Abs(measured - configured) < 0.12,
                    $"{result.Assets[i].Symbol}/{result.Assets[j].Symbol}: correlation {measured:F3} vs configured {configured:F3}");
            }
        Assert.Equal(0.8, result.Correlation[0, 1], 12);
        Assert.Equal(0.8 * 0.7, result.Correlation[1, 2], 12);
    }

    [Fact]
    public void Volatility_clusters()
    {
        var result = Simulate(new SimulatorOptions { Seed = 9, Days = 2 * 365, Assets = [AssetProfile.For("BTC-USDT")] });
        var hourly = SimStats.BarLogReturns(result.Assets[0].Bars);
        var absolute = hourly.Select(Math.Abs).ToArray();
        // Autocorrelation of |r| is clearly positive at one bar and still at one day (Cont 2001's stylised fact).
        Assert.True(SimStats.Autocorrelation(absolute, 1) > 0.08, $"acf(|r|, 1) = {SimStats.Autocorrelation(absolute, 1):F3}");
        Assert.True(SimStats.Autocorrelation(absolute, 24) > 0.05, $"acf(|r|, 24) = {SimStats.Autocorrelation(absolute, 24):F3}");
        // Returns themselves are close to uncorrelated.
        Assert.True(Math.Abs(SimStats.Autocorrelation(hourly, 1)) < 0.05);
    }

    [Fact]
    public void Regime_shares_follow_the_stationary_distribution_and_crashes_are_short_and_rare()
    {
        var options = new SimulatorOptions
        {
            Seed = 21, Days = 40_000, Timeframe = Timeframe.Day, Assets = [AssetProfile.For("BTC-USDT")], HeadlinesPerDay = 0, NoiseHeadlinesPerDay = 0, SubstepsPerBar = 2,
        };
        var result = Simulate(options);
        var stationary = options.Regimes.StationaryDistribution();
        Assert.Equal(1, stationary.Sum(), 9);
        var shares = result.RegimeShares();
        for (var k = 0; k < shares.Length; k++)
            Assert.True(Math.Abs(shares[k] - stationary[k]) < 0.06, $"{(MarketRegime)k}: share {shares[k]:F3} vs stationary {stationary[k]:F3}");
        Assert.True(stationary[(int)MarketRegime.Crash] < 0.05);
        var crashes = result.RegimeSpans().Where(s => s.Regime == MarketRegime.Crash).ToArray();
        Assert.NotEmpty(crashes);
        Assert.True(crashes.Average(s => (s.End - s.Start).TotalDays) < 5);
        // Crash days fall on average, bull days rise.
        var r = SimStats.DailyLogReturns(result.Assets[0], 1);
        Assert.True(Enumerable.Range(0, r.Length).Where(d => result.DailyRegimes[d] == MarketRegime.Crash).Average(d => r[d]) < -0.01);
        Assert.True(Enumerable.Range(0, r.Length).Where(d => result.DailyRegimes[d] == MarketRegime.Bull).Average(d => r[d]) > 0);
    }

    [Fact]
    public void Volume_rises_with_the_size_of_the_move()
    {
        var result = Simulate(new SimulatorOptions { Seed = 4, Days = 90 });
        foreach (var asset in result.Assets)
        {
            var move = asset.Bars.Select(b => Math.Abs(Math.Log(b.Close / b.Open))).ToArray();
            var volume = asset.Bars.Select(b => b.Volume).ToArray();
            var correlation = SimStats.Correlation(move, volume);
            Assert.True(correlation > 0.3, $"{asset.Symbol}: corr(|r|, volume) = {correlation:F3}");
        }
    }

    [Fact]
    public void Headline_sentiment_leads_returns_only_when_planted()
    {
        SimulationResult Run(double strength) => Simulate(new SimulatorOptions
        {
            Seed = 17, Days = 1500, Timeframe = Timeframe.Day, SentimentStrength = strength, SentimentLeadDays = 2,
        });

        double Measured(SimulationResult result, int lag) =>
            SimStats.PooledLeadCorrelation(result, a => SimStats.NetHeadlineSentiment(result, a), lag);

        var planted = Run(0.4);
        var none = Run(0);
        var signal = Measured(planted, 2);
        Assert.True(signal > 0.12, $"corr(net sentiment[d], r[d+2]) = {signal:F3} with strength 0.4");
        Assert.True(Math.Abs(Measured(none, 2)) < 0.05, $"corr = {Measured(none, 2):F3} with strength 0");
        // Headlines describe their own day's mood: the label mix follows latent sentiment, and every label occurs.
        Assert.Equal(["negative", "neutral", "positive"], planted.Headlines.Select(h => h.Label!).Distinct().Order());
        Assert.All(planted.Headlines, h => Assert.StartsWith("sim/", h.Source));
        Assert.Contains(planted.Headlines, h => h.Symbol is null);
        var btc = planted.Headlines.Where(h => h.Symbol == "BTC-USDT").ToArray();
        Assert.All(btc, h => Assert.True(h.Text.Contains("BTC") || h.Text.Contains("Bitcoin"), h.Text));
        Assert.Equal(planted.Headlines.OrderBy(h => h.Time).Select(h => h.Time), planted.Headlines.Select(h => h.Time));
    }

    [Fact]
    public void Onchain_features_lead_returns_with_the_documented_signs()
    {
        var options = new SimulatorOptions { Seed = 23, Days = 4000, Timeframe = Timeframe.Day, HeadlinesPerDay = 0, NoiseHeadlinesPerDay = 0 };
        var result = Simulate(options);
        var planted = result.Planted.ToDictionary(p => p.Name);
        var c = options.OnChain;

        var mvrv = SimStats.PooledLeadCorrelation(result, a => a.OnChain.Select(x => x.Mvrv is { } m ? Math.Log(m) : (double?)null).ToArray(), c.MvrvLagDays);
        var netflow = SimStats.PooledLeadCorrelation(result, a => a.OnChain.Select(x => x.ExchangeNetflow).ToArray(), c.NetflowLagDays);
        var activity = SimStats.PooledLeadCorrelation(result, ActiveAddressGrowth, c.ActiveAddressLagDays);

        Assert.Equal(-1, planted["mvrv_mean_reversion"].Sign);
        Assert.Equal(-1, planted["exchange_netflow"].Sign);
        Assert.Equal(1, planted["active_address_growth"].Sign);
        Assert.True(mvrv < -0.03, $"corr(ln mvrv[d], r[d+{c.MvrvLagDays}]) = {mvrv:F3}");
        Assert.True(netflow < -0.08, $"corr(netflow[d], r[d+{c.NetflowLagDays}]) = {netflow:F3}");
        Assert.True(activity > 0.05, $"corr(active growth[d], r[d+{c.ActiveAddressLagDays}]) = {activity:F3}");

        // Some cells are missing (empty), as in real on-chain feeds.
        Assert.Contains(result.Assets[0].OnChain, x => x.Mvrv is null || x.ExchangeNetflow is null || x.ActiveAddresses is null);
    }

    [Fact]
    public void Without_planted_strength_netflow_and_activity_carry_no_signal()
    {
        var options = new SimulatorOptions
        {
            Seed = 23, Days = 4000, Timeframe = Timeframe.Day, HeadlinesPerDay = 0, NoiseHeadlinesPerDay = 0,
            OnChain = new OnChainSettings(MvrvStrength: 0, NetflowStrength: 0, ActiveAddressStrength: 0),
        };
        var result = Simulate(options);
        var netflow = SimStats.PooledLeadCorrelation(result, a => a.OnChain.Select(x => x.ExchangeNetflow).ToArray(), 1);
        var activity = SimStats.PooledLeadCorrelation(result, ActiveAddressGrowth, 2);
        Assert.True(Math.Abs(netflow) < 0.04, $"netflow {netflow:F3}");
        Assert.True(Math.Abs(activity) < 0.04, $"activity {activity:F3}");
    }

    [Theory]
    [InlineData(0, "1h", "BTC-USDT")]
    [InlineData(10, "7h", "BTC-USDT")]
    [InlineData(10, "1w", "BTC-USDT")]
    [InlineData(10, "1h", "BTCUSDT")]
    [InlineData(10, "1h", "BTC-USDT-PERP")]
    public void Bad_options_are_rejected_as_bad_input(int days, string timeframe, string symbol)
    {
        Assert.Throws<BadInputException>(() =>
            new MarketSimulator(new SimulatorOptions { Days = days, Timeframe = Timeframe.Parse(timeframe), Assets = [AssetProfile.For(symbol)] }));
    }

    [Fact]
    public void Strengths_that_would_swallow_the_variance_are_rejected()
    {
        Assert.Throws<BadInputException>(() => new SimulatorOptions { SentimentStrength = 0.8, OnChain = new OnChainSettings(MvrvStrength: 0.5) }.Validate());
        Assert.Throws<BadInputException>(() => new SimulatorOptions { SentimentLeadDays = 0 }.Validate());
        Assert.Throws<BadInputException>(() => new SimulatorOptions { Days = 36_500, Timeframe = Timeframe.Minute }.Validate());
        Assert.Throws<BadInputException>(() => new SimulatorOptions { Start = new DateTimeOffset(2020, 1, 1, 5, 0, 0, TimeSpan.Zero) }.Validate());
        Assert.Throws<BadInputException>(() => new SimulatorOptions { Assets = [AssetProfile.For("BTC-USDT"), AssetProfile.For("btc-usdt")] }.Validate());
    }

    [Fact]
    public void Unknown_bases_get_a_generic_profile()
    {
        var profile = AssetProfile.For("pepe-usdt");
        Assert.Equal("PEPE-USDT", profile.Symbol);
        var result = Simulate(new SimulatorOptions { Days = 3, Assets = [AssetProfile.For("BTC-USDT"), profile] });
        Assert.Equal(72, result["PEPE-USDT"].Bars.Count);
    }

    private static double?[] ActiveAddressGrowth(SimulatedAsset asset)
    {
        var rows = asset.OnChain;
        var growth = new double?[rows.Count];
        for (var d = 1; d < rows.Count; d++)
            growth[d] = rows[d].ActiveAddresses is { } now && rows[d - 1].ActiveAddresses is { } before ? Math.Log(now / before) : null;
        return growth;
    }
}
