using AgentFirm.Quant.Metrics;
using AgentFirm.Quant.Reporting;

namespace AgentFirm.Dashboard.Model;

/// <summary>One run on the comparison's shared clock.</summary>
/// <param name="Growth">Equity over its value at the first shared bar (1 = where every run starts).</param>
/// <param name="Drawdown">Below the running peak of <paramref name="Growth"/>, as a fraction (0 at a new high).</param>
/// <param name="Returns">Simple return per shared period.</param>
/// <param name="Deflated">PSR, and the DSR this run would have if it were picked as the best of the compared runs.</param>
public sealed record ComparedRun(BacktestRunSummary Run, double[] Growth, double[] Drawdown, double[] Returns, DeflatedSharpeSummary Deflated);

/// <summary>
/// Runs side by side on the bars they share: growth, drawdown, the distribution of per-period returns, and the
/// selection statistics across them: each run's deflated Sharpe with the compared runs as the trials, and the
/// PBO by CSCV over their return matrix (the same code `agentfirm evaluate` reports for its variants).
/// </summary>
public sealed class BacktestComparison
{
    /// <summary>CSCV partitions asked for, as `agentfirm evaluate` asks (fewer on a short span).</summary>
    public const int Partitions = 16;
    public const int Bins = 20;

    public required IReadOnlyList<DateTimeOffset> Times { get; init; }
    public required IReadOnlyList<ComparedRun> Runs { get; init; }
    public required PboSummary Pbo { get; init; }
    /// <summary>Lower edge of each return bin; the last bin includes the largest return.</summary>
    public required IReadOnlyList<double> BinStarts { get; init; }
    public required double BinWidth { get; init; }
    /// <summary>Share[r][b]: the fraction of run r's periods whose return fell in bin b.</summary>
    public required IReadOnlyList<double[]> Share { get; init; }

    /// <summary>The run whose Sharpe ratio over the shared bars is highest: the one a researcher would pick.</summary>
    public ComparedRun Best => Runs.MaxBy(r => r.Deflated.Sharpe ?? double.NegativeInfinity)!;

    /// <summary>Null with the reason when the runs cannot be compared (fewer than two, or too few bars in common).</summary>
    public static BacktestComparison? Compute(IReadOnlyList<BacktestRunDetail> runs, out string? problem)
    {
        problem = null;
        if (runs.Count < 2)
        {
            problem = "Pick at least two runs to compare.";
            return null;
        }
        // Only bars every run marked: runs over different spans are compared where they overlap.
        var shared = new HashSet<DateTimeOffset>(runs[0].Equity.Select(p => p.Time));
        foreach (var run in runs.Skip(1)) shared.IntersectWith(run.Equity.Select(p => p.Time));
        var times = shared.Order().ToArray();
        if (times.Length < 4)
        {
            problem = $"These runs share {times.Length} bar time(s); comparing needs at least 4. Compare runs over the same span and bar interval.";
            return null;
        }

        var equities = runs.Select(run =>
        {
            var byTime = run.Equity.GroupBy(p => p.Time).ToDictionary(g => g.Key, g => g.Last().Equity);
            return times.Select(t => byTime[t]).ToArray();
        }).ToArray();
        var returns = equities.Select(e => PerformanceMetrics.PeriodReturns(e)).ToArray();
        var compared = runs.Select((run, i) =>
        {
            var first = equities[i][0];
            var growth = equities[i].Select(e => first > 0 ? e / first : 0).ToArray();
            var peak = 0.0;
            var drawdown = growth.Select(g => { peak = Math.Max(peak, g); return peak > 0 ? 1 - g / peak : 0; }).ToArray();
            return new ComparedRun(run.Run, growth, drawdown, returns[i], VariantEvaluation.Deflate(returns, i));
        }).ToArray();

        var pooled = returns.SelectMany(r => r).ToArray();
        var (low, high) = (pooled.Min(), pooled.Max());
        var width = high > low ? (high - low) / Bins : 1e-4;
        var share = returns.Select(r =>
        {
            var counts = new double[Bins];
            foreach (var x in r) counts[Math.Min(Bins - 1, (int)((x - low) / width))]++;
            return counts.Select(c => c / r.Length).ToArray();
        }).ToArray();

        return new BacktestComparison
        {
            Times = times,
            Runs = compared,
            Pbo = VariantEvaluation.Overfitting(returns, Partitions),
            BinStarts = Enumerable.Range(0, Bins).Select(b => low + b * width).ToArray(),
            BinWidth = width,
            Share = share,
        };
    }
}
