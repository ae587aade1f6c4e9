using System.Text.Json.Nodes;
using AgentFirm.Quant.Backtest;
using AgentFirm.Quant.Metrics;
using AgentFirm.Quant.Validation;

namespace AgentFirm.Quant.Reporting;

/// <summary>One variant of an evaluation (the firm, a baseline, an ablation) and its run on the shared data.</summary>
public sealed record EvaluatedVariant(string Name, string Kind, string Description, BacktestResult Result)
{
    /// <summary>More facts for evaluate.json, e.g. a firm variant's decision summary.</summary>
    public JsonObject Extra { get; init; } = new();

    public PerformanceMetrics Metrics { get; } = PerformanceMetrics.From(Result);

    /// <summary>Fees, slippage and funding paid (funding received counts against it).</summary>
    public double CostsPaid => Metrics.FeesPaid + Metrics.SlippagePaid + Metrics.FundingPaid;

    /// <summary>Fills executed (a large order filled over several bars counts once per bar).</summary>
    public int Trades => Result.Fills.Count;
}

/// <summary>An analyst's ablation: the variant that is the selected strategy without that analyst.</summary>
public sealed record Ablation(string Agent, string Without);

/// <summary>The deflated Sharpe ratio of the selected variant given every variant run; per-period figures, plain kurtosis.</summary>
public sealed record DeflatedSharpeSummary(
    double? Sharpe, int Periods, double? Skewness, double? Kurtosis, int Trials, double TrialsSharpeVariance,
    double ExpectedMaximumSharpe, double? Psr, double? Dsr, string? Note);

/// <summary>PBO by CSCV over the per-period return matrix of every variant.</summary>
public sealed record PboSummary(double? Pbo, int Partitions, int Combinations, string? Note);

/// <summary>
/// Compares variants run on the same data, costs and warm-up: their per-period returns on the shared
/// clock, each ablated analyst's marginal contribution (selected Sharpe minus the Sharpe without that
/// analyst, with a paired bootstrap over the shared dates), the deflated Sharpe of the selected variant
/// with the number of trials = variants and the variance of their per-period Sharpe ratios (as
/// `agentfirm stats sharpe`), and the PBO across all of them (as `agentfirm stats pbo`).
/// </summary>
public sealed class VariantEvaluation
{
    public required IReadOnlyList<EvaluatedVariant> Variants { get; init; }
    public required string Selected { get; init; }
    /// <summary>The times the per-period returns end at: the shared curve without its first point.</summary>
    public required IReadOnlyList<DateTimeOffset> Times { get; init; }
    /// <summary>Returns[v][t]: variant v's simple return over period t.</summary>
    public required IReadOnlyList<double[]> Returns { get; init; }
    public required IReadOnlyList<(Ablation Ablation, SharpeDifference Difference)> Contributions { get; init; }
    public required DeflatedSharpeSummary Deflated { get; init; }
    public required PboSummary Pbo { get; init; }
    public required double PeriodsPerYear { get; init; }

    public EvaluatedVariant SelectedVariant => Variants.Single(v => v.Name == Selected);

    public static VariantEvaluation Compute(IReadOnlyList<EvaluatedVariant> variants, string selected, IReadOnlyList<Ablation> ablations,
        int partitions = 16, int bootstrapSamples = 2000, int seed = 1)
    {
        if (variants.Count < 2) throw new ArgumentException("an evaluation needs at least two variants");
        var chosen = variants.SingleOrDefault(v => v.Name == selected) ?? throw new ArgumentException($"no variant is named '{selected}'");
        var clock = chosen.Result.Curve.Times;
        foreach (var v in variants)
            if (!v.Result.Curve.Times.SequenceEqual(clock))
                throw new InvalidOperationException($"variant {v.Name} ran on a different clock ({v.Result.Curve.Count} points) from {selected} ({clock.Count}): the runs must share the data");
        if (clock.Count < 4) throw new ArgumentException($"too few periods to compare: {clock.Count} points on the equity curve");
        var returns = variants.Select(v => PerformanceMetrics.PeriodReturns(v.Result.Curve.Equity)).ToArray();
        var ppy = chosen.Result.Timeframe.PeriodsPerYear;
        var index = variants.Select((v, i) => (v.Name, i)).ToDictionary(p => p.Name, p => p.i);

        var contributions = ablations.Select(a => (a, PairedSharpeDifference.Estimate(returns[index[selected]], returns[index[a.Without]], ppy, bootstrapSamples, seed: seed))).ToArray();
        return new VariantEvaluation
        {
            Variants = variants,
            Selected = selected,
            Times = clock.Skip(1).ToArray(),
            Returns = returns,
            Contributions = contributions,
            Deflated = Deflate(returns, index[selected]),
            Pbo = Overfitting(returns, partitions),
            PeriodsPerYear = ppy,
        };
    }

    /// <summary>The deflated Sharpe of returns[selected] with every row of <paramref name="returns"/> a trial (also the dashboard's run comparison).</summary>
    public static DeflatedSharpeSummary Deflate(double[][] returns, int selected)
    {
        // A variant that never moved has no defined Sharpe ratio; it enters the trials' variance as 0, as the metrics report it.
        var sharpes = returns.Select(r => TryMoments(r) is { } m ? m.Sharpe : 0).ToArray();
        var variance = DeflatedSharpe.TrialsSharpeVariance(sharpes);
        var sr0 = DeflatedSharpe.ExpectedMaximumSharpe(sharpes.Length, variance);
        var periods = returns[selected].Length;
        if (TryMoments(returns[selected]) is not { } moments)
            return new(null, periods, null, null, sharpes.Length, variance, sr0, null, null, "the selected variant's returns are constant (it never held a position): its Sharpe ratio is undefined");
        try
        {
            var psr = ProbabilisticSharpe.Probability(moments.Sharpe, moments.Count, moments.Skewness, moments.Kurtosis);
            var dsr = DeflatedSharpe.Probability(moments.Sharpe, moments.Count, moments.Skewness, moments.Kurtosis, sharpes.Length, variance);
            return new(moments.Sharpe, periods, moments.Skewness, moments.Kurtosis, sharpes.Length, variance, sr0, psr, dsr, null);
        }
        catch (ArgumentException ex)
        {
            return new(moments.Sharpe, periods, moments.Skewness, moments.Kurtosis, sharpes.Length, variance, sr0, null, null, ex.Message);
        }
    }

    private static ReturnMoments? TryMoments(double[] returns)
    {
        if (returns.Length < ReturnMoments.MinimumCount) return null;
        var first = returns[0];
        if (returns.All(r => r == first)) return null;
        return ReturnMoments.From(returns);
    }

    /// <summary>CSCV with the asked number of partitions, fewer (the largest even number with two periods each) on a short span.</summary>
    public static PboSummary Overfitting(double[][] returns, int partitions)
    {
        var periods = returns[0].Length;
        var s = Math.Min(partitions, periods / 2);
        if (s % 2 == 1) s--;
        if (s < 2) return new PboSummary(null, 0, 0, $"{periods} periods are too few for CSCV");
        var matrix = Enumerable.Range(0, periods).Select(t => (IReadOnlyList<double>)returns.Select(r => r[t]).ToArray()).ToArray();
        var result = BacktestOverfitting.Estimate(matrix, s);
        var note = s < partitions ? $"{periods} periods: {s} partitions instead of {partitions}" : null;
        return new PboSummary(result.Pbo, s, result.Combinations, note);
    }
}
