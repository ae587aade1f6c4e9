using AgentFirm.Core;
using static System.FormattableString;

namespace AgentFirm.Market.Simulation;

/// <summary>Days simulated so far, for progress reports on long runs.</summary>
public readonly record struct SimulationProgress(int DaysDone, int DaysTotal)
{
    public double Fraction => DaysTotal == 0 ? 1 : (double)DaysDone / DaysTotal;
}

/// <summary>
/// A seeded multi-asset crypto market. Per UTC day: a Markov regime (bull, bear, sideways, crash), a latent
/// sentiment factor per asset that the day's headlines reflect, and latent on-chain flows. Per bar: correlated
/// Gaussian shocks (one-factor structure with BTC as the hub, Cholesky), GARCH(1,1) variance per asset,
/// Poisson jumps, the regime's drift and volatility, and the planted drifts of <see cref="SimulationResult.Planted"/>.
/// High and low come from a Brownian bridge through the bar, so OHLC are consistent by construction.
/// Everything is drawn from <see cref="SimRandom"/> streams of <see cref="SimulatorOptions.Seed"/>: same options, same market.
/// </summary>
public sealed class MarketSimulator
{
    // Random streams: one per component, so tuning one leaves the others' draws unchanged.
    private const ulong RegimeStream = 1, ShockStream = 2, JumpStream = 3, PathStream = 4, VolumeStream = 5,
        SentimentStream = 6, OnChainStream = 7, HeadlineStream = 8, MissingStream = 9;

    /// <summary>Daily pull of log active addresses back to their trend, so the level stays plausible over decades.</summary>
    internal const double ActiveAddressMeanReversion = 0.01;

    /// <summary>Clamp on the standardised MVRV feature, so a long bubble cannot produce an absurd drift.</summary>
    internal const double MvrvClamp = 3;

    private readonly SimulatorOptions _options;

    public MarketSimulator(SimulatorOptions options)
    {
        options.Validate();
        _options = options;
    }

    public SimulatorOptions Options => _options;

    public SimulationResult Run(IProgress<SimulationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var o = _options;
        var assets = o.Assets;
        var n = assets.Count;
        var days = o.Days;
        var barsPerDay = o.BarsPerDay;
        var barDuration = o.Timeframe.Duration;
        var barYears = 1.0 / (barsPerDay * 365.0);
        var (alpha, beta) = o.Garch.PerBar(1.0 / barsPerDay);

        var correlation = HubCorrelation(assets);
        var lower = Cholesky.Decompose(correlation);

        // Regime volatility scales are normalised so their stationary mean square is 1: the configured
        // volatility is then the long-run volatility, and regimes only redistribute it over time.
        var stationary = o.Regimes.StationaryDistribution();
        var meanSquare = 0.0;
        for (var k = 0; k < o.Regimes.Count; k++) meanSquare += stationary[k] * o.Regimes.Regimes[k].VolatilityScale * o.Regimes.Regimes[k].VolatilityScale;
        var regimeVol = o.Regimes.Regimes.Select(r => r.VolatilityScale / Math.Sqrt(meanSquare)).ToArray();
        var regimeSharpe = o.Regimes.Regimes.Select(r => r.AnnualSharpe).ToArray();

        var sigmaDay = new double[n];
        var sigmaBarTotal = new double[n];
        var sigmaBarDiffusive = new double[n];
        var mvrvScale = new double[n];
        var realisedWeight = 1 - Math.Pow(0.5, 1 / o.OnChain.RealisedPriceHalfLifeDays);
        for (var i = 0; i < n; i++)
        {
            var a = assets[i];
            sigmaDay[i] = a.AnnualVolatility / Math.Sqrt(365);
            sigmaBarTotal[i] = a.AnnualVolatility * Math.Sqrt(barYears);
            // The planted drifts and the jumps take their share of variance; the diffusion gets the rest,
            // so realised volatility stays near the configured one whatever the strengths.
            var jumpShare = a.JumpsPerYear * (a.JumpMean * a.JumpMean + a.JumpStdDev * a.JumpStdDev) / (a.AnnualVolatility * a.AnnualVolatility);
            var diffusiveShare = Math.Max(0.1, 1 - o.PlantedVarianceShare - jumpShare);
            sigmaBarDiffusive[i] = sigmaBarTotal[i] * Math.Sqrt(diffusiveShare);
            // ln(price / EMA of price) is roughly AR(1) with variance sigma_day^2 / (2w): scale it to unit size.
            mvrvScale[i] = sigmaDay[i] / Math.Sqrt(2 * realisedWeight);
        }

        var regimeRandom = new SimRandom(o.Seed, RegimeStream);
        var shockRandom = new SimRandom(o.Seed, ShockStream);
        var jumpRandom = new SimRandom(o.Seed, JumpStream);
        var pathRandom = new SimRandom(o.Seed, PathStream);
        var volumeRandom = new SimRandom(o.Seed, VolumeStream);
        var sentimentRandom = new SimRandom(o.Seed, SentimentStream);
        var onChainRandom = new SimRandom(o.Seed, OnChainStream);
        var headlineRandom = new SimRandom(o.Seed, HeadlineStream);
        var missingRandom = new SimRandom(o.Seed, MissingStream);

        // Latent daily series, [day][asset].
        var sentiment = new double[days][];
        var netflow = new double[days][];
        var activeShock = new double[days][];
        var mvrvFeature = new double[days][];

        var bars = new List<Bar>[n];
        var onChain = new List<OnChainRecord>[n];
        var price = new double[n];
        var variance = new double[n];
        var realisedPrice = new double[n];
        var logActive = new double[n];
        var logActiveTrend = new double[n];
        for (var i = 0; i < n; i++)
        {
            bars[i] = new List<Bar>(days * barsPerDay);
            onChain[i] = new List<OnChainRecord>(days);
            price[i] = assets[i].StartPrice;
            variance[i] = 1;
            realisedPrice[i] = assets[i].StartPrice;
            logActive[i] = logActiveTrend[i] = Math.Log(assets[i].ActiveAddresses);
        }
        var activeTrendPerDay = Math.Log(1 + o.OnChain.ActiveAddressTrendPerYear) / 365;

        var regimes = new MarketRegime[days];
        var headlines = new List<(Headline Headline, long Order)>();
        long headlineOrder = 0;

        Span<double> independent = stackalloc double[n];
        Span<double> correlated = stackalloc double[n];
        Span<double> planted = stackalloc double[n];
        var substeps = o.SubstepsPerBar;
        var path = new double[substeps];
        var newsVolume = new double[n];
        var sentimentInnovation = Math.Sqrt(1 - o.SentimentPersistence * o.SentimentPersistence);
        var netflowInnovation = Math.Sqrt(1 - o.OnChain.NetflowPersistence * o.OnChain.NetflowPersistence);
        var progressEvery = Math.Max(1, days / 20);

        for (var d = 0; d < days; d++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var dayStart = o.Start.AddDays(d);
            var regime = d == 0 ? (MarketRegime)Draw(stationary, regimeRandom) : (MarketRegime)Draw(o.Regimes.Regimes[(int)regimes[d - 1]].DailyTransitions, regimeRandom);
            regimes[d] = regime;
            var r = (int)regime;

            // Latent drivers for today, correlated across assets like returns (market-wide mood and flows).
            sentiment[d] = new double[n];
            netflow[d] = new double[n];
            activeShock[d] = new double[n];
            mvrvFeature[d] = new double[n];
            CorrelatedNormals(sentimentRandom, lower, independent, correlated);
            for (var i = 0; i < n; i++)
                sentiment[d][i] = d == 0 ? correlated[i] : o.SentimentPersistence * sentiment[d - 1][i] + sentimentInnovation * correlated[i];
            CorrelatedNormals(onChainRandom, lower, independent, correlated);
            for (var i = 0; i < n; i++)
                netflow[d][i] = d == 0 ? correlated[i] : o.OnChain.NetflowPersistence * netflow[d - 1][i] + netflowInnovation * correlated[i];
            CorrelatedNormals(onChainRandom, lower, independent, correlated);
            for (var i = 0; i < n; i++) activeShock[d][i] = correlated[i];

            // Optional news-driven volume: today's latent mood moves today's volume (mean-one lognormal factor).
            for (var i = 0; i < n; i++)
                newsVolume[i] = o.NewsVolumeSensitivity == 0 ? 1 : Math.Exp(o.NewsVolumeSensitivity * sentiment[d][i] - 0.5 * o.NewsVolumeSensitivity * o.NewsVolumeSensitivity);

            // The planted drifts: features observed `lag` days ago move today's returns (see Planted / truth.json).
            for (var i = 0; i < n; i++)
            {
                var drift = o.SentimentStrength * Lagged(sentiment, d, o.SentimentLeadDays, i)
                            - o.OnChain.NetflowStrength * Lagged(netflow, d, o.OnChain.NetflowLagDays, i)
                            + o.OnChain.ActiveAddressStrength * Lagged(activeShock, d, o.OnChain.ActiveAddressLagDays, i)
                            - o.OnChain.MvrvStrength * Lagged(mvrvFeature, d, o.OnChain.MvrvLagDays, i);
                planted[i] = drift * sigmaDay[i] / barsPerDay;
            }

            for (var b = 0; b < barsPerDay; b++)
            {
                var time = dayStart + barDuration * b;
                CorrelatedNormals(shockRandom, lower, independent, correlated);
                for (var i = 0; i < n; i++)
                {
                    var a = assets[i];
                    var z = correlated[i];
                    var volatilityFactor = regimeVol[r] * Math.Sqrt(variance[i]);
                    var sdBar = sigmaBarDiffusive[i] * volatilityFactor;
                    var logReturn = regimeSharpe[r] * a.AnnualVolatility * barYears + planted[i] + sdBar * z;

                    var jumpRate = a.JumpsPerYear * barYears * (regime == MarketRegime.Crash ? o.CrashJumpMultiplier : 1);
                    var jumps = jumpRandom.NextPoisson(jumpRate);
                    if (jumps > 0) logReturn += jumps * a.JumpMean + Math.Sqrt(jumps) * a.JumpStdDev * jumpRandom.NextNormal();

                    // GARCH(1,1) on the standardised shock: big moves raise the next bars' variance (Bollerslev 1986).
                    variance[i] = (1 - alpha - beta) + alpha * z * z * variance[i] + beta * variance[i];

                    var (maxLog, minLog) = BridgeExtremes(pathRandom, path, logReturn, sdBar);
                    var open = price[i];
                    var close = open * Math.Exp(logReturn);
                    // Volume rises with the size of the move and with the volatility state (Karpoff 1987), with lognormal noise.
                    var activity = (0.4 + 0.75 * Math.Abs(logReturn) / sigmaBarTotal[i]) * Math.Sqrt(volatilityFactor);
                    var volume = a.DailyVolume / barsPerDay * activity * Math.Exp(0.3 * volumeRandom.NextNormal() - 0.045) * newsVolume[i];
                    bars[i].Add(new Bar(time, barDuration,
                        RoundSignificant(open, 8), RoundSignificant(open * Math.Exp(maxLog), 8),
                        RoundSignificant(open * Math.Exp(minLog), 8), RoundSignificant(close, 8),
                        RoundSignificant(volume, 6)));
                    price[i] = close;
                }
            }

            // End of day: on-chain metrics for the day just closed.
            for (var i = 0; i < n; i++)
            {
                var a = assets[i];
                realisedPrice[i] += realisedWeight * (price[i] - realisedPrice[i]);
                var mvrv = price[i] / realisedPrice[i];
                mvrvFeature[d][i] = Math.Clamp(Math.Log(mvrv) / mvrvScale[i], -MvrvClamp, MvrvClamp);
                logActive[i] += activeTrendPerDay + o.OnChain.ActiveAddressGrowthStdDev * activeShock[d][i]
                                - ActiveAddressMeanReversion * (logActive[i] - logActiveTrend[i]);
                logActiveTrend[i] += activeTrendPerDay;
                onChain[i].Add(new OnChainRecord(dayStart,
                    Missing(missingRandom, o.OnChain.MissingRate) ? null : RoundSignificant(mvrv, 6),
                    Missing(missingRandom, o.OnChain.MissingRate) ? null : Math.Round(a.NetflowScale * netflow[d][i], 2),
                    Missing(missingRandom, o.OnChain.MissingRate) ? null : Math.Round(Math.Exp(logActive[i]))));
            }

            AddHeadlines(headlines, ref headlineOrder, headlineRandom, dayStart, sentiment[d]);

            if (progress is not null && ((d + 1) % progressEvery == 0 || d + 1 == days)) progress.Report(new SimulationProgress(d + 1, days));
        }

        var simulated = new SimulatedAsset[n];
        for (var i = 0; i < n; i++) simulated[i] = new SimulatedAsset(assets[i], bars[i], onChain[i]);
        var ordered = headlines.OrderBy(h => h.Headline.Time).ThenBy(h => h.Order).Select(h => h.Headline).ToArray();
        return new SimulationResult(o, simulated, ordered, regimes, correlation, PlantedRelationships(o, realisedWeight));
    }

    /// <summary>corr(i, j) = loading_i * loading_j: every asset loads on one market factor, which BTC (loading 1) is.</summary>
    public static double[,] HubCorrelation(IReadOnlyList<AssetProfile> assets)
    {
        var n = assets.Count;
        var c = new double[n, n];
        for (var i = 0; i < n; i++)
            for (var j = 0; j < n; j++)
                c[i, j] = i == j ? 1 : assets[i].BtcLoading * assets[j].BtcLoading;
        return c;
    }

    private void AddHeadlines(List<(Headline, long)> headlines, ref long order, SimRandom random, DateTimeOffset dayStart, double[] sentiment)
    {
        var o = _options;
        for (var i = 0; i < o.Assets.Count; i++)
        {
            var ticker = o.Assets[i].BaseCurrency;
            // Label probabilities: softmax of (k s, bias, -k s): good latent mood, more positive headlines.
            var k = o.HeadlineInformativeness;
            var positive = Math.Exp(k * sentiment[i]);
            var neutral = Math.Exp(o.HeadlineNeutralBias);
            var negative = Math.Exp(-k * sentiment[i]);
            var total = positive + neutral + negative;
            var count = random.NextPoisson(o.HeadlinesPerDay);
            for (var h = 0; h < count; h++)
            {
                var u = random.NextDouble() * total;
                var label = u < positive ? HeadlineTemplates.Positive : u < positive + neutral ? HeadlineTemplates.Neutral : HeadlineTemplates.Negative;
                var time = dayStart.AddSeconds(random.NextIndex(86_400));
                headlines.Add((new Headline(time, HeadlineTemplates.Asset(label, ticker, random), label, HeadlineTemplates.Source(random), o.Assets[i].Symbol), order++));
            }
        }
        var noise = random.NextPoisson(o.NoiseHeadlinesPerDay);
        for (var h = 0; h < noise; h++)
        {
            var label = random.NextIndex(3) switch { 0 => HeadlineTemplates.Positive, 1 => HeadlineTemplates.Neutral, _ => HeadlineTemplates.Negative };
            var time = dayStart.AddSeconds(random.NextIndex(86_400));
            headlines.Add((new Headline(time, HeadlineTemplates.Noise(label, random), label, HeadlineTemplates.Source(random)), order++));
        }
    }

    private static IReadOnlyList<PlantedRelationship> PlantedRelationships(SimulatorOptions o, double realisedWeight)
    {
        var c = o.OnChain;
        return
        [
            new("headline_sentiment", "latent sentiment s[d] (AR(1), unit variance); headlines of day d are labelled positive/neutral/negative with softmax(k*s, bias, -k*s)",
                o.SentimentStrength, o.SentimentLeadDays, o.SentimentStrength > 0 ? 1 : 0,
                Invariant($"r[d+{o.SentimentLeadDays}] += {o.SentimentStrength} * s[d] * sigma_day")),
            new("mvrv_mean_reversion", Invariant($"z[d] = clamp(ln(mvrv[d]) / (sigma_day / sqrt(2w)), -{MvrvClamp}, {MvrvClamp}); realised price = EMA of daily close with weight w = {realisedWeight:G6} (half-life {c.RealisedPriceHalfLifeDays} days)"),
                c.MvrvStrength, c.MvrvLagDays, c.MvrvStrength > 0 ? -1 : 0,
                Invariant($"r[d+{c.MvrvLagDays}] -= {c.MvrvStrength} * z[d] * sigma_day")),
            new("exchange_netflow", "f[d] = exchange_netflow[d] / netflow_scale (AR(1), unit variance; positive = coins moving onto exchanges)",
                c.NetflowStrength, c.NetflowLagDays, c.NetflowStrength > 0 ? -1 : 0,
                Invariant($"r[d+{c.NetflowLagDays}] -= {c.NetflowStrength} * f[d] * sigma_day")),
            new("active_address_growth", Invariant($"u[d] = (ln(active[d] / active[d-1]) - trend + {ActiveAddressMeanReversion} * deviation) / {c.ActiveAddressGrowthStdDev} (iid unit normal)"),
                c.ActiveAddressStrength, c.ActiveAddressLagDays, c.ActiveAddressStrength > 0 ? 1 : 0,
                Invariant($"r[d+{c.ActiveAddressLagDays}] += {c.ActiveAddressStrength} * u[d] * sigma_day")),
        ];
    }

    private static double Lagged(double[][] series, int day, int lag, int asset) => day - lag >= 0 ? series[day - lag][asset] : 0;

    private static bool Missing(SimRandom random, double rate) => rate > 0 && random.NextBool(rate);

    private static void CorrelatedNormals(SimRandom random, double[,] lower, Span<double> independent, Span<double> correlated)
    {
        for (var i = 0; i < independent.Length; i++) independent[i] = random.NextNormal();
        Cholesky.Multiply(lower, independent, correlated);
    }

    private static int Draw(IReadOnlyList<double> probabilities, SimRandom random)
    {
        var u = random.NextDouble();
        for (var k = 0; k < probabilities.Count - 1; k++)
        {
            u -= probabilities[k];
            if (u < 0) return k;
        }
        return probabilities.Count - 1;
    }

    /// <summary>
    /// Highest and lowest log price (relative to the open) on a Brownian bridge from 0 to the bar's log
    /// return: a random walk of the bar's diffusive size, pinned to end at the close. Open and close are included.
    /// </summary>
    private static (double Max, double Min) BridgeExtremes(SimRandom random, double[] path, double logReturn, double sd)
    {
        var steps = path.Length;
        var stepSd = sd / Math.Sqrt(steps);
        var walk = 0.0;
        for (var k = 0; k < steps; k++)
        {
            walk += stepSd * random.NextNormal();
            path[k] = walk;
        }
        var max = Math.Max(0, logReturn);
        var min = Math.Min(0, logReturn);
        for (var k = 0; k < steps - 1; k++)
        {
            var point = path[k] - (k + 1.0) / steps * (walk - logReturn);
            if (point > max) max = point;
            if (point < min) min = point;
        }
        return (max, min);
    }

    /// <summary>Rounds to significant digits. Monotone, so rounding keeps low &lt;= open, close &lt;= high.</summary>
    internal static double RoundSignificant(double value, int digits)
    {
        if (value == 0 || !double.IsFinite(value)) return value;
        var decimals = digits - 1 - (int)Math.Floor(Math.Log10(Math.Abs(value)));
        return decimals switch
        {
            < 0 => Math.Round(value / Math.Pow(10, -decimals)) * Math.Pow(10, -decimals),
            > 15 => value,
            _ => Math.Round(value, decimals),
        };
    }
}
