using System.Diagnostics;
using AgentFirm.Core;
using AgentFirm.Market.Data;
using AgentFirm.Market.Simulation;
using AgentFirm.Quant.Regimes;
using AgentFirm.TestSupport;
using Xunit.Abstractions;

namespace AgentFirm.Quant.Tests.Regimes;

public sealed class StateRegimeDetectorTests(ITestOutputHelper output)
{
    /// <summary>Daily bars: warm up four months, refit monthly.</summary>
    private static readonly StateRegimeOptions Daily = new() { MinimumHistory = 120, RefitEvery = 30 };

    /// <summary>
    /// The simulator's regimes against ours, by volatility order (its scales: sideways 0.70, bull 0.90,
    /// bear 1.15, crash 2.50): Sideways = Calm, Bull = Normal, Bear = Turbulent, Crash = Crisis.
    /// </summary>
    private static Regime Expected(MarketRegime planted) => planted switch
    {
        MarketRegime.Sideways => Regime.Calm,
        MarketRegime.Bull => Regime.Normal,
        MarketRegime.Bear => Regime.Turbulent,
        _ => Regime.Crisis,
    };

    private static SimulationResult Simulate(long seed, int days = 730) =>
        new MarketSimulator(new SimulatorOptions { Seed = seed, Days = days, Timeframe = Timeframe.Day }).Run();

    private static List<StateRegimeReading> Run(StateRegimeDetector detector, SimulationResult sim, int days)
    {
        var readings = new List<StateRegimeReading>(days);
        for (var d = 0; d < days; d++)
        {
            foreach (var asset in sim.Assets) detector.Observe(asset.Symbol, asset.Bars[d]);
            readings.Add(detector.Complete(sim.Assets[0].Bars[d].CloseTime));
        }
        return readings;
    }

    /// <summary>Mean recall over the planted regimes present among the scored days; chance is 1 / (regimes present).</summary>
    private static (double Balanced, int[,] Confusion, int Classes) Score(IReadOnlyList<MarketRegime> truth, IReadOnlyList<Regime?> labels)
    {
        var confusion = new int[4, 4];
        for (var d = 0; d < truth.Count; d++)
            if (labels[d] is { } label) confusion[(int)Expected(truth[d]), (int)label]++;
        double sum = 0;
        var classes = 0;
        for (var c = 0; c < 4; c++)
        {
            var row = Enumerable.Range(0, 4).Sum(j => confusion[c, j]);
            if (row == 0) continue;
            classes++;
            sum += (double)confusion[c, c] / row;
        }
        return (sum / classes, confusion, classes);
    }

    [Fact]
    public void Appending_later_bars_never_changes_an_earlier_reading_even_across_a_refit()
    {
        var sim = Simulate(seed: 7, days: 300);
        var options = Daily with { MinimumHistory = 60, RefitEvery = 25 };
        var full = Run(new StateRegimeDetector(options), sim, 300);
        // The step of the third fit: cut just before it, at it and just after it.
        var refitStep = full.FindIndex(r => r.Fits == 3);
        Assert.True(refitStep > 0);
        foreach (var cut in new[] { refitStep, refitStep + 1, refitStep + 2, 250 })
        {
            var shorter = Run(new StateRegimeDetector(options), sim, cut);
            for (var d = 0; d < cut; d++)
            {
                Assert.Equal(full[d].Regime, shorter[d].Regime);
                foreach (var regime in Enum.GetValues<Regime>())
                    Assert.Equal(BitConverter.DoubleToInt64Bits(full[d].Probabilities.For(regime)), BitConverter.DoubleToInt64Bits(shorter[d].Probabilities.For(regime)));
            }
        }
    }

    /// <summary>
    /// Balanced accuracy of the detector and of the old drawdown detector per simulated seed, scored on the days
    /// the detector is ready, and over all seeds pooled (one confusion matrix for the 5 x 590 days).
    /// </summary>
    private (List<(long Seed, double Ours, double Chance, double Drawdown, int CrisisDays, int ReadyDays)> Seeds, double Pooled, double PooledDrawdown) ScoreSeeds(StateModelKind model)
    {
        var results = new List<(long Seed, double Ours, double Chance, double Drawdown, int CrisisDays, int ReadyDays)>();
        var truthAll = new List<MarketRegime>();
        var oursAll = new List<Regime?>();
        var oldAll = new List<Regime?>();
        foreach (var seed in new long[] { 1, 2, 3, 4, 5 })
        {
            var sim = Simulate(seed);
            var readings = Run(new StateRegimeDetector(Daily with { Model = model }), sim, sim.DailyRegimes.Count);
            var labels = readings.Select(r => r.IsReady ? r.Regime : (Regime?)null).ToArray();
            var ours = Score(sim.DailyRegimes, labels);

            // The old detector, as the grain used it: the worst regime over the assets, scored on the same days.
            var old = sim.Assets.Select(a => new VolatilityRegimeDetector(new VolatilityRegimeOptions(), Timeframe.Day)).ToArray();
            var oldLabels = new Regime?[sim.DailyRegimes.Count];
            for (var d = 0; d < oldLabels.Length; d++)
            {
                var worst = Enumerable.Range(0, old.Length).Max(i => old[i].Update(sim.Assets[i].Bars[d]).Regime);
                oldLabels[d] = readings[d].IsReady ? worst : null;
            }
            var baseline = Score(sim.DailyRegimes, oldLabels);
            truthAll.AddRange(sim.DailyRegimes);
            oursAll.AddRange(labels);
            oldAll.AddRange(oldLabels);

            var ready = readings.Count(r => r.IsReady);
            var crisisDays = readings.Count(r => r.IsReady && r.Regime == Regime.Crisis);
            var crisisRight = readings.Where((r, d) => r.IsReady && r.Regime == Regime.Crisis && sim.DailyRegimes[d] == MarketRegime.Crash).Count();
            output.WriteLine($"{model} seed {seed}: balanced accuracy {ours.Balanced:0.000} over {ours.Classes} planted regimes, chance {1.0 / ours.Classes:0.000} (drawdown detector {baseline.Balanced:0.000}); Crisis on {crisisDays} of {ready} days, {crisisRight} of them in a crash; confusion (rows sideways/bull/bear/crash, cols calm/normal/turbulent/crisis) {Flatten(ours.Confusion)}");
            results.Add((seed, ours.Balanced, 1.0 / ours.Classes, baseline.Balanced, crisisDays, ready));
        }
        var pooled = Score(truthAll, oursAll);
        var pooledOld = Score(truthAll, oldAll);
        output.WriteLine($"{model} mean balanced accuracy {results.Average(r => r.Ours):0.000} (chance {results.Average(r => r.Chance):0.000}, drawdown detector {results.Average(r => r.Drawdown):0.000}); pooled over seeds {pooled.Balanced:0.000} (drawdown detector {pooledOld.Balanced:0.000}); pooled confusion {Flatten(pooled.Confusion)}");
        return (results, pooled.Balanced, pooledOld.Balanced);
    }

    [Fact]
    public void Simulated_regimes_are_read_better_than_chance_and_than_the_drawdown_detector()
    {
        // Mapping by volatility order, fixed in Expected(): sideways = Calm, bull = Normal, bear = Turbulent, crash = Crisis.
        // Measured on this commit (HMM, 4 states): balanced accuracy 0.35, 0.58, 0.43, 0.41, 0.46 on seeds 1..5
        // (mean 0.44; earlier variants of the fit schedule gave 0.38..0.62 seed by seed, mean 0.40..0.47: which
        // local optimum EM lands in moves single seeds by +-0.1). An oracle that filters with the TRUE transition
        // matrix and per-regime Gaussians fitted in-sample to the truth gets 0.59 on average (0.38..0.76). The
        // brief's 0.6 is out of reach: the simulator's GARCH swings volatility by as much as the gaps between
        // sideways (0.70), bull (0.90) and bear (1.15), and a crash that comes before any crash in the fitting window
        // has no state of its own. Asserted, with margin: pooled over the seeds well clear of chance and of the
        // old detector, at least four seeds in five above chance, and Crisis rare on every seed.
        var (seeds, pooled, pooledOld) = ScoreSeeds(StateModelKind.Hmm);
        Assert.True(pooled >= 0.40, $"pooled {pooled:0.000}");
        Assert.True(pooled >= pooledOld + 0.10, $"pooled {pooled:0.000} vs the drawdown detector's {pooledOld:0.000}");
        Assert.True(seeds.Average(r => r.Ours) >= seeds.Average(r => r.Chance) + 0.08, $"mean {seeds.Average(r => r.Ours):0.000}");
        Assert.True(seeds.Count(r => r.Ours > r.Chance) >= 4, string.Join(", ", seeds.Select(r => $"{r.Ours:0.000} vs {r.Chance:0.000}")));
        Assert.All(seeds, r => Assert.True(r.CrisisDays <= 0.03 * r.ReadyDays, $"seed {r.Seed}: Crisis on {r.CrisisDays} of {r.ReadyDays} days"));
    }

    [Fact]
    public void The_mixture_without_dynamics_still_reads_simulated_regimes_better_than_chance_pooled_over_seeds()
    {
        // No persistence, so it is noisier than the HMM day by day; it is the baseline the HMM's dynamics are judged against.
        var (seeds, pooled, pooledOld) = ScoreSeeds(StateModelKind.Gmm);
        Assert.True(pooled >= 0.36, $"pooled {pooled:0.000}");
        Assert.True(pooled > pooledOld, $"pooled {pooled:0.000} vs the drawdown detector's {pooledOld:0.000}");
        Assert.All(seeds, r => Assert.True(r.CrisisDays <= 0.03 * r.ReadyDays));
    }

    [Fact]
    public void An_oracle_filtering_with_the_true_chain_shows_how_much_the_observations_can_tell()
    {
        // The ceiling for any filter on these observations: the TRUE daily transition matrix and, per planted
        // regime, the Gaussian of its observations fitted in-sample to the truth (a cheat no real model has).
        // Scored from day 120 like the detector. It averages about 0.59, with single seeds from 0.38 to 0.76.
        var order = new[] { MarketRegime.Sideways, MarketRegime.Bull, MarketRegime.Bear, MarketRegime.Crash };
        var scores = new List<double>();
        foreach (var seed in new long[] { 1, 2, 3, 4, 5 })
        {
            var sim = Simulate(seed);
            var observations = new MarketObservations(volatilityWindow: 1, scaleWarmup: 20);
            var rows = new List<double[]>();
            var truth = new List<int>();
            var days = new List<int>();
            for (var d = 0; d < sim.DailyRegimes.Count; d++)
            {
                foreach (var a in sim.Assets) observations.Add(a.Symbol, a.Bars[d]);
                var x = new double[MarketObservations.Dimension];
                if (!observations.TryComplete(x)) continue;
                rows.Add(x);
                truth.Add(Array.IndexOf(order, sim.DailyRegimes[d]));
                days.Add(d);
            }
            var means = new double[4, 2];
            var variances = new double[4, 2];
            var counts = new double[4];
            for (var t = 0; t < rows.Count; t++)
            {
                counts[truth[t]]++;
                for (var j = 0; j < 2; j++) means[truth[t], j] += rows[t][j];
            }
            for (var s = 0; s < 4; s++)
                for (var j = 0; j < 2; j++) means[s, j] = counts[s] > 0 ? means[s, j] / counts[s] : 0;
            for (var t = 0; t < rows.Count; t++)
                for (var j = 0; j < 2; j++) variances[truth[t], j] += Math.Pow(rows[t][j] - means[truth[t], j], 2);
            for (var s = 0; s < 4; s++)
                for (var j = 0; j < 2; j++) variances[s, j] = counts[s] > 1 ? Math.Max(variances[s, j] / counts[s], 1e-3) : 1;
            var transition = new double[4, 4];
            for (var i = 0; i < 4; i++)
                for (var j = 0; j < 4; j++) transition[i, j] = RegimeModel.Default[order[i]].DailyTransitions[(int)order[j]];
            var filter = new StateFilter(new GaussianHmm([0.25, 0.25, 0.25, 0.25], transition, means, variances));
            var labels = new Regime?[sim.DailyRegimes.Count];
            for (var t = 0; t < rows.Count; t++)
            {
                filter.Step(rows[t]);
                var best = 0;
                for (var s = 1; s < 4; s++) if (filter.Probabilities[s] > filter.Probabilities[best]) best = s;
                if (days[t] >= Daily.MinimumHistory) labels[days[t]] = (Regime)best; // state i is order[i], which Expected() maps to regime i
            }
            scores.Add(Score(sim.DailyRegimes, labels).Balanced);
        }
        output.WriteLine($"oracle balanced accuracy per seed: {string.Join(", ", scores.Select(x => x.ToString("0.000")))}; mean {scores.Average():0.000}");
        Assert.InRange(scores.Average(), 0.5, 0.7);
        Assert.Contains(scores, x => x < 0.5); // some seeds defeat even the oracle
    }

    [Fact]
    public void Labels_order_the_days_by_their_true_volatility_calm_below_normal_below_turbulent_below_crisis()
    {
        // Pooled over seeds: the mean planted volatility scale of the days given each label must rise with the label.
        var sums = new double[4];
        var counts = new int[4];
        foreach (var seed in new long[] { 1, 2, 3, 4, 5, 6 })
        {
            var sim = Simulate(seed);
            var readings = Run(new StateRegimeDetector(Daily), sim, sim.DailyRegimes.Count);
            for (var d = 0; d < readings.Count; d++)
            {
                if (!readings[d].IsReady) continue;
                sums[(int)readings[d].Regime] += RegimeModel.Default[sim.DailyRegimes[d]].VolatilityScale;
                counts[(int)readings[d].Regime]++;
            }
        }
        var means = Enumerable.Range(0, 4).Select(r => counts[r] == 0 ? double.NaN : sums[r] / counts[r]).ToArray();
        output.WriteLine($"mean planted volatility scale by label calm/normal/turbulent/crisis: {string.Join(", ", means.Select((m, r) => $"{m:0.000} ({counts[r]} days)"))}");
        Assert.True(counts.All(c => c > 0), "every label should be used somewhere over six seeds");
        Assert.True(means[0] < means[1] && means[1] < means[2] && means[2] < means[3], string.Join(", ", means));
    }

    [Fact]
    public void A_crash_state_learnt_from_the_past_calls_the_next_crash_crisis()
    {
        // Seed 2 has a 3-day crash around day 248 (before any in its window: no crash state yet) and an 8-day
        // crash from day 575, after the model has met one: most of that one must be Crisis.
        var sim = Simulate(seed: 2);
        var readings = Run(new StateRegimeDetector(Daily), sim, sim.DailyRegimes.Count);
        var laterCrash = Enumerable.Range(400, sim.DailyRegimes.Count - 400).Where(d => sim.DailyRegimes[d] == MarketRegime.Crash).ToArray();
        Assert.True(laterCrash.Length >= 5, $"seed 2 should keep its late crash, found {laterCrash.Length} days");
        var called = laterCrash.Count(d => readings[d].Regime == Regime.Crisis);
        output.WriteLine($"late crash: {called} of {laterCrash.Length} days called Crisis");
        Assert.True(called >= laterCrash.Length / 2, $"{called} of {laterCrash.Length}");
    }

    [Fact]
    public void Real_BTC_daily_bars_2018_to_2024_are_in_crisis_on_under_a_fifth_of_days()
    {
        var path = SharedData.RequireFile(Path.Combine("ohlcv", "1d", "BTC-USDT.csv"));
        var bars = Load(path);
        var readings = new List<StateRegimeReading>();
        var detector = new StateRegimeDetector(new StateRegimeOptions { MinimumHistory = 250, RefitEvery = 250 }); // daily bars: a year to warm up, yearly refits
        foreach (var bar in bars)
        {
            detector.Observe("BTC-USDT", bar);
            readings.Add(detector.Complete(bar.CloseTime));
        }
        var ready = readings.Where(r => r.IsReady).ToArray();
        var shares = Enum.GetValues<Regime>().Select(g => ready.Count(r => r.Regime == g) / (double)ready.Length).ToArray();
        output.WriteLine($"BTC-USDT 1d {bars[0].Time:yyyy-MM-dd}..{bars[^1].Time:yyyy-MM-dd}: {ready.Length} ready days, {detector.Fits} fits in {detector.FitTime.TotalMilliseconds:0} ms; shares calm/normal/turbulent/crisis {string.Join(" / ", shares.Select(s => s.ToString("0.000")))}");
        var crisis = ready.Where(r => r.Regime == Regime.Crisis).Select(r => r.AsOf.ToString("yyyy-MM-dd")).ToArray();
        var m = detector.Model!;
        output.WriteLine("last fit: " + string.Join("; ", Enumerable.Range(0, m.States).Select(s => $"{detector.Map![s]} ret {m.Mean(s, 0):0.00} vol {m.Mean(s, 1):0.00}")) + $"; typical vol {detector.Map!.TypicalVolatility:0.00}");
        output.WriteLine($"Crisis days: {string.Join(" ", crisis.Take(60))}");
        Assert.True(ready.Length > 2000);
        Assert.True(shares[(int)Regime.Crisis] < 0.20, $"Crisis on {shares[(int)Regime.Crisis]:P1} of days");
        // Covid's crash (12 March 2020) is the textbook crisis day; it must not read as calm.
        var covid = readings.Single(r => r.AsOf.Date == new DateTime(2020, 3, 13));
        Assert.True(covid.Regime >= Regime.Turbulent, $"2020-03-12's close read as {covid.Regime}");
        // Terra/Luna (May 2022) and FTX (November 2022) came after the model had seen 2018-2021: each must reach Crisis.
        Assert.Contains(crisis, d => string.CompareOrdinal(d, "2022-05-08") >= 0 && string.CompareOrdinal(d, "2022-05-14") <= 0);
        Assert.Contains(crisis, d => string.CompareOrdinal(d, "2022-11-07") >= 0 && string.CompareOrdinal(d, "2022-11-13") <= 0);
    }

    [Fact]
    public void Refitting_thousands_of_bars_takes_milliseconds_and_filtering_allocates_nothing()
    {
        var (x, _) = GaussianHmmTests.PlantedSequence(seed: 9, count: 3000);
        var block = ObservationBlock.From(x);
        var options = new StateFitOptions { States = 4, Restarts = 3 };
        GaussianHmm.Fit(block, options); // JIT warm-up
        var clock = Stopwatch.StartNew();
        var fit = GaussianHmm.Fit(block, options);
        var fitMs = clock.Elapsed.TotalMilliseconds;

        var filter = new StateFilter(fit.Model);
        filter.Step(x[0]);
        var before = GC.GetAllocatedBytesForCurrentThread();
        clock.Restart();
        for (var t = 1; t < x.Length; t++) filter.Step(x[t]);
        var stepNs = clock.Elapsed.TotalNanoseconds / (x.Length - 1);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        output.WriteLine($"fit of 3000 x 2 observations, 4 states, 3 starts: {fitMs:0.0} ms ({fit.Iterations} iterations in the best start); filter step {stepNs:0} ns, {allocated} bytes allocated over {x.Length - 1} steps");
        Assert.Equal(0, allocated);
        Assert.True(fitMs < 1000, $"fit took {fitMs:0} ms"); // generous for a shared 2-core machine; typically tens of ms
    }

    [Fact]
    public void Ten_years_of_hourly_BTC_and_ETH_cost_microseconds_a_step_refits_included()
    {
        // The firm bench's market (hourly BTC-USDT + ETH-USDT) through the detector with the firm's defaults.
        var btc = BarLoader.Load(SharedData.RequireFile(Path.Combine("ohlcv", "1h", "BTC-USDT.csv")), new LoadOptions { Timeframe = Timeframe.Hour, Gaps = GapPolicy.CarryForward }).Bars;
        var eth = BarLoader.Load(SharedData.RequireFile(Path.Combine("ohlcv", "1h", "ETH-USDT.csv")), new LoadOptions { Timeframe = Timeframe.Hour, Gaps = GapPolicy.CarryForward }).Bars
            .ToDictionary(b => b.Time);
        var detector = new StateRegimeDetector(new StateRegimeOptions());
        var clock = Stopwatch.StartNew();
        var crisis = 0;
        foreach (var bar in btc)
        {
            detector.Observe("BTC-USDT", bar);
            if (eth.TryGetValue(bar.Time, out var e)) detector.Observe("ETH-USDT", e);
            if (detector.Complete(bar.CloseTime).Regime == Regime.Crisis) crisis++;
        }
        var perStep = clock.Elapsed.TotalMicroseconds / btc.Length;
        var fitPerStep = detector.FitTime.TotalMicroseconds / btc.Length;
        output.WriteLine($"{btc.Length} hourly steps: {perStep:0.0} us a step in all, of which refits {fitPerStep:0.0} us ({detector.Fits} fits, {detector.FitTime.TotalMilliseconds / detector.Fits:0.0} ms each); Crisis on {crisis / (double)btc.Length:P1} of hours");
        Assert.True(detector.Fits > 50);
        Assert.True(perStep < 500, $"{perStep:0} us a step"); // loose: a shared 2-core machine; the figure is in the output
    }

    private static Bar[] Load(string path) =>
        BarLoader.Load(path, new LoadOptions { Timeframe = Timeframe.Day, Gaps = GapPolicy.CarryForward }).Bars
            .Where(b => b.Time.Year is >= 2018 and <= 2024).ToArray();

    private static string Flatten(int[,] m) =>
        string.Join(" | ", Enumerable.Range(0, 4).Select(i => string.Join(" ", Enumerable.Range(0, 4).Select(j => m[i, j]))));
}
