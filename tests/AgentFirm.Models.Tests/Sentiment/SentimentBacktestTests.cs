using AgentFirm.Core;
using AgentFirm.Market.Simulation;
using AgentFirm.Models.Sentiment;
using AgentFirm.Quant.Backtest;
using AgentFirm.Quant.Metrics;
using Xunit.Abstractions;

namespace AgentFirm.Models.Tests.Sentiment;

/// <summary>
/// Trades the sentiment analyst's view on simulated perpetuals: at each daily close the target is the view's
/// direction times an equal share of equity, long or short. Headlines become visible at their publish time.
/// </summary>
internal sealed class SentimentViewStrategy(SentimentAnalyst analyst, HeadlineSentimentIndex index, IReadOnlyList<Headline> headlines) : IStrategy
{
    private int _next;

    public string Name => analyst.Options.VolumeFilter ? "sentiment-rvs" : "sentiment";

    public ValueTask OnBarAsync(IStrategyContext context, CancellationToken cancellationToken)
    {
        while (_next < headlines.Count && headlines[_next].Time <= context.Now) index.Add(headlines[_next++]);
        var share = 0.99 / context.Instruments.Count;
        foreach (var symbol in context.Updated)
        {
            var instrument = context.Instruments.First(i => i.Symbol == symbol);
            var bars = context.Bars(symbol);
            var view = analyst.Assess($"{instrument.BaseCurrency}-{instrument.QuoteCurrency}", context.Now, bars.AsSpan());
            context.RebalanceTo(symbol, Math.Sign(view.Direction) * share, tolerance: 0.02, tag: Name);
        }
        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// The sentiment agent's RVS view against the same agent without the volume filter, on two years of daily
/// simulated BTC/ETH/SOL perpetuals (default costs, one bar latency), Sharpe after a 30-day warm-up averaged
/// over seeds 5-8. Measured when written (annualised): planted signal with news-driven volume (k = 0.5) plain
/// 4.21, RVS 4.43; planted signal, volume independent of news: plain 4.20, RVS 2.93; no signal: plain 0.18,
/// RVS -0.38; headlines shuffled across days: plain -0.21, RVS -0.47. Why: next-day hit rates of the view are
/// 58.9% plain (always in the market); RVS is in the market 52% of days at 58.5% without the volume link (a
/// coin-flip filter) but 66% of days at 62.1% with it (volume is a second witness of the mood).
/// </summary>
public sealed class SentimentBacktestTests(ITestOutputHelper output)
{
    private const int Days = 730;
    private const int WarmUpDays = 30;

    internal static SimulationResult Simulate(long seed, double strength, double volumeLink) => new MarketSimulator(new SimulatorOptions
    {
        Seed = seed,
        Days = Days,
        Timeframe = Timeframe.Day,
        SentimentStrength = strength,
        NewsVolumeSensitivity = volumeLink,
    }).Run();

    /// <summary>Annualised Sharpe of daily equity returns after the warm-up (nothing is fitted, so all of it is out of sample).</summary>
    internal static async Task<double> SharpeAsync(SimulationResult sim, bool volumeFilter, IReadOnlyList<Headline>? headlines = null)
    {
        var index = new HeadlineSentimentIndex(new LexiconSentimentScorer());
        var analyst = new SentimentAnalyst(index, SentimentAnalystOptions.Default with { VolumeFilter = volumeFilter });
        var market = sim.Assets.Select(a => new MarketSeries(Instrument.Parse(a.Symbol + "-PERP"), a.Bars)).ToList();
        var result = await new BacktestEngine(new BacktestOptions()).RunAsync(market, new SentimentViewStrategy(analyst, index, headlines ?? sim.Headlines));
        var equity = result.Curve.Equity.Skip(WarmUpDays).ToList();
        var returns = PerformanceMetrics.PeriodReturns(equity);
        var sd = PerformanceMetrics.SampleStdDev(returns);
        return sd > 0 ? returns.Average() / sd * Math.Sqrt(365) : 0;
    }

    /// <summary>Seeds 1-4 were used while building this (to pick the 0.5 volume link); these were not looked at before.</summary>
    private static readonly long[] EvaluationSeeds = [5, 6, 7, 8];

    private async Task<(double Plain, double Rvs)> MeanSharpesAsync(double strength, double volumeLink, bool shuffleHeadlines = false)
    {
        double plain = 0, rvs = 0;
        foreach (var seed in EvaluationSeeds)
        {
            var sim = Simulate(seed, strength, volumeLink);
            var headlines = shuffleHeadlines ? Shuffled(sim.Headlines, seed) : sim.Headlines;
            var p = await SharpeAsync(sim, false, headlines);
            var r = await SharpeAsync(sim, true, headlines);
            output.WriteLine($"strength {strength} link {volumeLink} shuffled {shuffleHeadlines} seed {seed}: plain {p:0.00} rvs {r:0.00}");
            plain += p / EvaluationSeeds.Length;
            rvs += r / EvaluationSeeds.Length;
        }
        output.WriteLine($"  mean: plain {plain:0.00} rvs {rvs:0.00}");
        return (plain, rvs);
    }

    /// <summary>The same headlines with their days permuted: same texts and tone mix, no link to the returns that follow.</summary>
    private static List<Headline> Shuffled(IReadOnlyList<Headline> headlines, long seed)
    {
        var days = headlines.Select(h => h.Time.UtcDateTime.Date).Distinct().ToArray();
        var target = days.ToArray();
        new Random((int)seed).Shuffle(target);
        var map = days.Zip(target).ToDictionary(p => p.First, p => p.Second);
        return headlines.Select(h => h with { Time = h.Time + (map[h.Time.UtcDateTime.Date] - h.Time.UtcDateTime.Date) }).OrderBy(h => h.Time).ToList();
    }

    [Fact]
    public async Task Rvs_beats_the_plain_view_when_volume_moves_with_the_news()
    {
        var (plain, rvs) = await MeanSharpesAsync(0.3, volumeLink: 0.5);
        Assert.True(plain > 1, $"the planted headline signal should pay the plain view, Sharpe {plain:0.00}");
        Assert.True(rvs > plain, $"RVS Sharpe {rvs:0.00} should beat the plain view's {plain:0.00} when volume carries the news");
    }

    [Fact]
    public async Task Without_a_news_volume_link_the_filter_only_throws_exposure_away()
    {
        // Honest negative result: in the default simulator volume follows |return| only, so agreeing with the
        // direction of volume change is a coin flip that halves the time in the market and lowers the Sharpe.
        var (plain, rvs) = await MeanSharpesAsync(0.3, volumeLink: 0);
        Assert.True(plain > 1, $"plain Sharpe {plain:0.00}");
        Assert.True(rvs < plain, $"RVS {rvs:0.00} vs plain {plain:0.00}");
    }

    [Fact]
    public async Task Neither_view_earns_anything_on_pure_noise()
    {
        // Two years of daily returns: one run's Sharpe has a standard error near 1/sqrt(2) = 0.7 a year; four runs, 0.35.
        var (plain, rvs) = await MeanSharpesAsync(0.0, volumeLink: 0.5);     // headlines and volume follow a mood that predicts nothing
        Assert.InRange(plain, -1.0, 1.0);
        Assert.InRange(rvs, -1.0, 1.0);
        var (shuffledPlain, shuffledRvs) = await MeanSharpesAsync(0.3, volumeLink: 0, shuffleHeadlines: true); // real signal, headlines moved to other days
        Assert.InRange(shuffledPlain, -1.0, 1.0);
        Assert.InRange(shuffledRvs, -1.0, 1.0);
    }

    [Fact]
    public async Task With_the_news_volume_link_volume_itself_carries_the_mood()
    {
        // What RVS exploits: with volume following the latent mood, agreeing with the volume direction picks the
        // mood's sign even when the headlines are shuffled to other days, while the plain view earns nothing.
        var (plain, rvs) = await MeanSharpesAsync(0.3, volumeLink: 0.5, shuffleHeadlines: true);
        Assert.InRange(plain, -1.0, 1.0);
        Assert.True(rvs > 1, $"RVS on shuffled headlines {rvs:0.00}");
    }
}
