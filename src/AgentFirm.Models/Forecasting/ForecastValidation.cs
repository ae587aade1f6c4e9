using AgentFirm.Quant.Validation;

namespace AgentFirm.Models.Forecasting;

public enum CvScheme { WalkForward, PurgedKFold, Cpcv }

/// <summary>
/// How to cut the observations: folds for walk-forward and purged k-fold, N/k groups for CPCV, the embargo, and
/// for walk-forward an optional rolling training window (the last <see cref="RollingWindow"/> observations before
/// each test block instead of all of them).
/// </summary>
public sealed record CvSettings(CvScheme Scheme, int Folds = 5, int Groups = 6, int TestGroups = 2, double Embargo = 0.01, int? RollingWindow = null);

/// <summary>Out-of-sample scores of one block of forecasts.</summary>
public sealed record OosScores(int Count, double Accuracy, double Auc, double Sharpe, double TotalLogReturn);

public sealed record FoldResult(int Fold, int TrainSize, int TestSize, OosScores Scores);

/// <summary>One configuration's out-of-sample record: per fold (or split), per CPCV path, and its return series.</summary>
public sealed record ConfigurationResult(
    string Name,
    IReadOnlyList<FoldResult> Folds,
    IReadOnlyList<OosScores> Paths,
    OosScores Overall,
    int[] Rows,
    double[] Returns);

/// <summary>
/// Cross-validates forecasters on <see cref="SupervisedData"/> with purging (AFML 7.4): the observations are the
/// rows from <c>firstRow</c> whose labels are known; each split trains on its training rows only and forecasts
/// its test rows; scores are accuracy and AUC of the direction and the per-bar Sharpe of trading the forecast's
/// sign after costs. Walk-forward: observations in folds+1 contiguous blocks, fold k tested after training on every
/// earlier row whose label resolved before the block starts (expanding window; or only the last W rows, rolling). Purged k-fold
/// and CPCV use <see cref="PurgedKFold"/> and <see cref="CombinatorialPurgedCv"/>; CPCV's paths are assembled from
/// its splits, and a configuration's return series is then the mean of its paths' per-bar returns.
/// </summary>
public sealed class ForecastValidation(SupervisedData data, int firstRow, double costBps)
{
    public int[] Observations { get; } = Enumerable.Range(firstRow, Math.Max(0, data.Count - firstRow))
        .Where(t => data.Labels.Ends[t] >= 0 && double.IsFinite(data.NextReturns[t])).ToArray();

    public ConfigurationResult Run(string name, Func<IForecaster> create, CvSettings cv, FitOptions fit, Action<string>? log = null)
    {
        var obs = Observations;
        if (obs.Length < 50) throw new ArgumentException($"only {obs.Length} labelled observations to cross-validate");
        var windows = obs.Select(t => new LabelWindow(t, data.Labels.Ends[t])).ToArray();
        var folds = new List<FoldResult>();
        var forecasts = new Dictionary<int, Forecast[]>(); // split -> forecasts of its test observations (by position)
        IReadOnlyList<CvSplit> splits = cv.Scheme switch
        {
            CvScheme.WalkForward => WalkForwardSplits(obs, cv),
            CvScheme.PurgedKFold => PurgedKFold.Split(windows, cv.Folds, cv.Embargo),
            _ => [],
        };
        CpcvPlan? plan = null;
        if (cv.Scheme == CvScheme.Cpcv)
        {
            plan = CombinatorialPurgedCv.Plan(windows, cv.Groups, cv.TestGroups, cv.Embargo);
            splits = plan.Splits.Select(s => new CvSplit(s.Train, s.Test)).ToArray();
        }

        for (var s = 0; s < splits.Count; s++)
        {
            var split = splits[s];
            var model = create();
            var trainRows = split.Train.Select(i => obs[i]).ToArray();
            var testRows = split.Test.Select(i => obs[i]).ToArray();
            model.Fit(data.Dataset(trainRows), fit);
            var f = model.PredictBatch(data.Features.Rows, testRows);
            (model as IDisposable)?.Dispose();
            forecasts[s] = f;
            var scores = Score(testRows, f, model.Task);
            folds.Add(new FoldResult(s, trainRows.Length, testRows.Length, scores));
            log?.Invoke($"{name}: split {s + 1}/{splits.Count} train {trainRows.Length} test {testRows.Length} acc {scores.Accuracy:F3} auc {scores.Auc:F3} sharpe {scores.Sharpe:F4}");
        }

        var task = data.Task;
        var paths = new List<OosScores>();
        double[] returns;
        int[] returnRows;
        OosScores overall;
        if (plan is null)
        {
            // Every test observation is forecast once: stitch the folds in time order.
            var rows = new List<int>();
            var all = new List<Forecast>();
            var order = splits.Select((sp, s) => (sp, s)).OrderBy(x => x.sp.Test[0]);
            foreach (var (sp, s) in order)
            {
                rows.AddRange(sp.Test.Select(i => obs[i]));
                all.AddRange(forecasts[s]);
            }
            returnRows = rows.ToArray();
            overall = Score(returnRows, all.ToArray(), task);
            returns = StrategyReturnsFor(returnRows, all.ToArray(), task);
        }
        else
        {
            var pathReturns = new List<double[]>();
            foreach (var path in plan.Paths)
            {
                var rows = new List<int>();
                var all = new List<Forecast>();
                foreach (var segment in path)
                {
                    var split = plan.Splits[segment.Split];
                    var group = plan.Groups[segment.Group];
                    var position = split.Test.Select((idx, k) => (idx, k)).ToDictionary(x => x.idx, x => x.k);
                    foreach (var i in group)
                    {
                        rows.Add(obs[i]);
                        all.Add(forecasts[segment.Split][position[i]]);
                    }
                }
                paths.Add(Score(rows.ToArray(), all.ToArray(), task));
                pathReturns.Add(StrategyReturnsFor(rows.ToArray(), all.ToArray(), task));
            }
            returnRows = obs;
            returns = new double[obs.Length];
            for (var t = 0; t < returns.Length; t++) returns[t] = pathReturns.Average(r => r[t]);
            overall = new OosScores(obs.Length, paths.Average(p => p.Accuracy), paths.Average(p => p.Auc), StrategyReturns.Sharpe(returns), returns.Sum());
        }
        return new ConfigurationResult(name, folds, paths, overall, returnRows, returns);
    }

    /// <summary>Observations in folds+1 contiguous blocks; fold k tests block k on earlier rows resolved before it.</summary>
    private IReadOnlyList<CvSplit> WalkForwardSplits(int[] obs, CvSettings cv)
    {
        if (cv.Folds < 1) throw new ArgumentOutOfRangeException(nameof(cv), cv.Folds, "walk-forward needs at least 1 fold");
        if (cv.RollingWindow is < 1) throw new ArgumentOutOfRangeException(nameof(cv), cv.RollingWindow, "a rolling training window needs at least 1 observation");
        var blocks = Combinatorics.ContiguousBlocks(obs.Length, cv.Folds + 1);
        var splits = new List<CvSplit>();
        for (var k = 1; k <= cv.Folds; k++)
        {
            var testStart = obs[blocks[k][0]];
            var first = cv.RollingWindow is { } window ? Math.Max(0, blocks[k][0] - window) : 0;
            // Only earlier rows train, so no embargo is needed: it guards training rows after a test block.
            var train = Enumerable.Range(first, blocks[k][0] - first).Where(i => data.Labels.Ends[obs[i]] < testStart).ToArray();
            splits.Add(new CvSplit(train, blocks[k]));
        }
        return splits;
    }

    public OosScores Score(int[] rows, Forecast[] forecasts, ForecastTask task)
    {
        var scores = forecasts.Select(f => f.Value).ToArray();
        var up = rows.Select(t => task == ForecastTask.Classification ? data.Labels.Values[t] : data.Labels.Values[t] > 0 ? 1.0 : 0.0).ToArray();
        var threshold = task == ForecastTask.Classification ? 0.5 : 0;
        var returns = StrategyReturnsFor(rows, forecasts, task);
        return new OosScores(rows.Length, ForecastMetrics.Accuracy(scores, up, threshold), ForecastMetrics.Auc(scores, up), StrategyReturns.Sharpe(returns), returns.Sum());
    }

    public double[] StrategyReturnsFor(int[] rows, Forecast[] forecasts, ForecastTask task) =>
        StrategyReturns.FromPositions(forecasts.Select(f => StrategyReturns.Position(f, task)).ToArray(), rows.Select(t => data.NextReturns[t]).ToArray(), costBps);

    /// <summary>Buy-and-hold over the rows (one entry cost) and persistence (trade the sign of the last h-bar return).</summary>
    public (double[] BuyAndHold, double[] Persistence) Baselines(int[] obs)
    {
        var next = obs.Select(t => data.NextReturns[t]).ToArray();
        var hold = StrategyReturns.FromPositions(obs.Select(_ => 1.0).ToArray(), next, costBps);
        var h = data.Labels.Spec.Horizon;
        var persistence = obs.Select(t => t >= h && data.Bars[t].Close > data.Bars[t - h].Close ? 1.0 : -1.0).ToArray();
        return (hold, StrategyReturns.FromPositions(persistence, next, costBps));
    }

    /// <summary>
    /// PBO by CSCV over the configurations' return series (partitions: the largest even S &lt;= 16 leaving 2 rows per
    /// partition), and the deflated Sharpe of the best configuration given all of them as trials.
    /// </summary>
    public static (PboResult? Pbo, string? PboNote, int Best, double BestSharpe, double Dsr, double Sr0, double TrialsVariance) Selection(IReadOnlyList<ConfigurationResult> configs)
    {
        var best = 0;
        for (var i = 1; i < configs.Count; i++) if (configs[i].Overall.Sharpe > configs[best].Overall.Sharpe) best = i;
        var sharpes = configs.Select(c => StrategyReturns.Sharpe(c.Returns)).ToArray();
        var variance = configs.Count >= 2 ? DeflatedSharpe.TrialsSharpeVariance(sharpes) : 0;
        var moments = ReturnMoments.From(configs[best].Returns);
        var dsr = DeflatedSharpe.Probability(moments.Sharpe, moments.Count, moments.Skewness, moments.Kurtosis, configs.Count, variance);
        var sr0 = DeflatedSharpe.ExpectedMaximumSharpe(configs.Count, variance);
        PboResult? pbo = null;
        string? note = null;
        if (configs.Count < 2) note = "not computed: it needs at least 2 configurations (use --grid)";
        else
        {
            var rows = configs[0].Returns.Length;
            var s = Math.Min(16, rows / 2);
            if (s % 2 == 1) s--;
            if (s < 2) note = $"too few periods ({rows}) for CSCV";
            else
            {
                var matrix = new double[rows][];
                for (var t = 0; t < rows; t++) matrix[t] = configs.Select(c => c.Returns[t]).ToArray();
                pbo = BacktestOverfitting.Estimate(matrix, s);
            }
        }
        return (pbo, note, best, moments.Sharpe, dsr, sr0, variance);
    }
}
