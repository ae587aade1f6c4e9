using System.Globalization;

namespace AgentFirm.Models.Forecasting.Selection;

/// <summary>Settings of the Boruta shadow-feature selection; the trees are small and fast on purpose (they only rank).</summary>
public sealed record BorutaOptions
{
    /// <summary>Most importance runs (R Boruta's maxRuns, default 100 there; fewer here to keep folds quick).</summary>
    public int MaxIterations { get; init; } = 30;

    /// <summary>Level of each one-sided binomial test (R Boruta's pValue 0.01; 0.05 here because of the fewer runs).</summary>
    public double Alpha { get; init; } = 0.05;

    /// <summary>Bonferroni-correct the tests over the number of features (R Boruta's mcAdj = TRUE).</summary>
    public bool Bonferroni { get; init; } = true;

    /// <summary>Keep tentative features too (R's TentativeRoughFix is not applied; tentative ones are reported).</summary>
    public bool IncludeTentative { get; init; }

    public int Trees { get; init; } = 100;
    public int Leaves { get; init; } = 15;
    public double LearningRate { get; init; } = 0.1;
    public int MinimumLeafSamples { get; init; } = 20;
    /// <summary>Share of columns each tree may use: like a random forest's mtry, lets weaker features show their gain.</summary>
    public double FeatureFraction { get; init; } = 0.5;
    public int Seed { get; init; } = 42;

    public void Validate()
    {
        if (MaxIterations < 1) throw new ArgumentOutOfRangeException(nameof(MaxIterations), MaxIterations, "Boruta needs at least one run");
        if (!(Alpha is > 0 and < 1)) throw new ArgumentOutOfRangeException(nameof(Alpha), Alpha, "alpha must lie in (0, 1)");
        if (Trees < 1 || Leaves < 2) throw new ArgumentException("Boruta trees need at least 1 round and 2 leaves");
        if (!(FeatureFraction is > 0 and <= 1)) throw new ArgumentOutOfRangeException(nameof(FeatureFraction), FeatureFraction, "feature fraction must lie in (0, 1]");
    }
}

/// <summary>
/// Boruta (Kursa &amp; Rudnicki 2010, Journal of Statistical Software 36(11)) with LightGBM gain importance in place of
/// the random forest's permutation importance. Each run appends a "shadow" copy of every feature still in play,
/// each column shuffled on its own (a seeded permutation of the training samples, so a shadow keeps its
/// feature's distribution but loses any link to the label), fits the trees on the training samples only, and
/// scores a hit for each feature whose gain beats the largest shadow gain. After every run, as in the R
/// package (Boruta 5+, doTests): with n runs and h hits, a feature is confirmed when P(X &gt;= h) and rejected when
/// P(X &lt;= h), X ~ Binomial(n, 1/2), falls below alpha, both tails Bonferroni-corrected over all features
/// (mcAdj). Rejected features drop out of later runs (no shadow either); confirmed ones stay in, so the shadows
/// always compete with the strongest features. The runs stop early once nothing is undecided. Undecided features
/// after the last run are reported as tentative. Deterministic for a seed (one-thread LightGBM, seeded shuffles).
/// </summary>
public sealed class BorutaSelector(ForecastTask task, BorutaOptions? options = null) : IFeatureSelector
{
    private enum State { Undecided, Confirmed, Rejected }

    public BorutaOptions Options { get; } = options ?? new BorutaOptions();
    public string Method => "boruta";

    public FeatureSelectionReport Select(ForecastDataset data, IReadOnlyList<int> train)
    {
        Options.Validate();
        var p = data.FeatureNames.Count;
        if (p == 0) throw new ArgumentException("no features to select from");
        if (train.Count < 30) throw new ArgumentException($"Boruta needs at least 30 training samples, got {train.Count}");
        var state = new State[p];
        var hits = new int[p];
        var gainSum = new double[p];
        var runs = 0;
        var rng = new Random(Options.Seed);
        var n = train.Count;
        var labels = train.Select(i => data.Labels[i]).ToArray();
        var weights = train.Select(i => data.Weight(i)).ToArray();
        var settings = new LightGbmSettings
        {
            Iterations = Options.Trees, Leaves = Options.Leaves, LearningRate = Options.LearningRate,
            MinimumLeafSamples = Options.MinimumLeafSamples, FeatureFraction = Options.FeatureFraction, EarlyStoppingRounds = 0, Threads = 1,
        };

        for (var run = 0; run < Options.MaxIterations && state.Contains(State.Undecided); run++)
        {
            var active = Enumerable.Range(0, p).Where(j => state[j] != State.Rejected).ToArray();
            var k = active.Length;
            var names = active.Select(j => $"x{j}").Concat(active.Select(j => $"shadow{j}")).ToArray();
            var rows = new double[n][];
            for (var s = 0; s < n; s++)
            {
                rows[s] = new double[2 * k];
                var source = data.Rows[train[s]];
                for (var c = 0; c < k; c++) rows[s][c] = source[active[c]];
            }
            var order = new int[n];
            for (var c = 0; c < k; c++)
            {
                for (var s = 0; s < n; s++) order[s] = s;
                rng.Shuffle(order);
                for (var s = 0; s < n; s++) rows[s][k + c] = data.Rows[train[order[s]]][active[c]];
            }
            var trees = new LightGbmForecaster(task, names, settings);
            trees.Fit(new ForecastDataset(names, rows, labels, weights), new FitOptions { ValidationFraction = 0, Seed = Options.Seed + run });
            var gain = trees.FeatureImportance().ToDictionary(f => f.Feature, f => f.Importance, StringComparer.Ordinal);
            double Gain(string name) => gain.TryGetValue(name, out var g) ? g : 0;
            var maxShadow = active.Max(j => Gain($"shadow{j}"));
            runs++;
            foreach (var j in active)
            {
                var g = Gain($"x{j}");
                gainSum[j] += g;
                if (g > maxShadow) hits[j]++;
            }
            var correction = Options.Bonferroni ? p : 1;
            for (var j = 0; j < p; j++)
            {
                if (state[j] != State.Undecided) continue;
                if (Math.Min(1, correction * Binomial.UpperTail(hits[j], runs)) < Options.Alpha) state[j] = State.Confirmed;
                else if (Math.Min(1, correction * Binomial.LowerTail(hits[j], runs)) < Options.Alpha) state[j] = State.Rejected;
            }
        }

        var keep = Enumerable.Range(0, p).Where(j => state[j] == State.Confirmed || (Options.IncludeTentative && state[j] == State.Undecided)).ToList();
        var note = "";
        if (keep.Count == 0)
        {
            // A model needs at least one input: fall back to the tentative ones, else the feature with most hits.
            keep = Enumerable.Range(0, p).Where(j => state[j] == State.Undecided).ToList();
            if (keep.Count == 0) keep = [Enumerable.Range(0, p).OrderByDescending(j => hits[j]).ThenByDescending(j => gainSum[j]).First()];
            note = "nothing confirmed: fell back to " + (state[keep[0]] == State.Undecided ? "the tentative features" : "the feature with most hits");
        }
        var decisions = Enumerable.Range(0, p).Select(j => new FeatureDecision(
            data.FeatureNames[j], keep.Contains(j),
            state[j] switch { State.Confirmed => "confirmed", State.Rejected => "rejected", _ => "tentative" },
            runs == 0 ? double.NaN : hits[j] / (double)runs,
            Math.Min(1, (Options.Bonferroni ? p : 1) * Binomial.UpperTail(hits[j], runs)),
            string.Create(CultureInfo.InvariantCulture, $"hits {hits[j]}/{runs}; mean gain {gainSum[j] / Math.Max(1, runs):G4}"))).ToArray();
        return new FeatureSelectionReport(Method, keep.Order().ToArray(), keep.Order().Select(j => data.FeatureNames[j]).ToArray(), decisions, train.Count, note);
    }
}

/// <summary>Tails of Binomial(n, 1/2), exact (n is the number of Boruta runs, at most a few hundred).</summary>
internal static class Binomial
{
    /// <summary>P(X &gt;= h).</summary>
    public static double UpperTail(int h, int n) => h <= 0 ? 1 : h > n ? 0 : Sum(h, n, n);

    /// <summary>P(X &lt;= h).</summary>
    public static double LowerTail(int h, int n) => h >= n ? 1 : h < 0 ? 0 : Sum(0, h, n);

    private static double Sum(int from, int to, int n)
    {
        double total = 0;
        for (var k = from; k <= to; k++) total += Math.Exp(LogChoose(n, k) - n * Math.Log(2));
        return Math.Min(1, total);
    }

    private static double LogChoose(int n, int k)
    {
        double s = 0;
        k = Math.Min(k, n - k);
        for (var i = 1; i <= k; i++) s += Math.Log(n - k + i) - Math.Log(i);
        return s;
    }
}
