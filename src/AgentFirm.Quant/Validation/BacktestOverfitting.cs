namespace AgentFirm.Quant.Validation;

/// <summary>The outcome of CSCV: PBO and, for every combination, the logit of the in-sample winner's out-of-sample rank.</summary>
public sealed record PboResult(
    double Pbo,
    int Partitions,
    int Observations,
    int Strategies,
    IReadOnlyList<double> Logits,
    IReadOnlyList<int> InSampleBest,
    IReadOnlyList<double> InSampleBestSharpe,
    IReadOnlyList<double> OutOfSampleSharpeOfBest)
{
    public int Combinations => Logits.Count;
}

/// <summary>
/// Probability of backtest overfitting by combinatorially symmetric cross-validation (CSCV): Bailey, Borwein,
/// Lopez de Prado &amp; Zhu, "The Probability of Backtest Overfitting", Journal of Computational Finance 20(4), 2017
/// (SSRN 2326253, 2015), section 2. The performance statistic is the per-period Sharpe ratio.
/// </summary>
public static class BacktestOverfitting
{
    /// <summary>
    /// <paramref name="performance"/>[t][n] is strategy n's return in period t (the paper's T x N matrix M).
    /// Steps: (1) cut M by rows into S contiguous blocks (sizes differ by at most one row when S does not
    /// divide T); (2) for every one of the C(S, S/2) combinations J of S/2 blocks, training set J and testing
    /// set its complement; (3) n* = argmax of the in-sample Sharpe ratios; (4) omega = relative rank of n*
    /// out of sample, rank/(N+1) with rank 1 the worst (ties share the average rank); (5) logit
    /// lambda = ln(omega / (1 - omega)); PBO = the share of combinations with lambda &lt;= 0.
    /// </summary>
    public static PboResult Estimate(IReadOnlyList<IReadOnlyList<double>> performance, int partitions)
    {
        ArgumentNullException.ThrowIfNull(performance);
        if (partitions < 2 || partitions % 2 != 0) throw new ArgumentOutOfRangeException(nameof(partitions), partitions, "the number of partitions S must be even and at least 2");
        var rows = performance.Count;
        if (rows == 0) throw new ArgumentException("the performance matrix has no rows", nameof(performance));
        var strategies = performance[0].Count;
        if (strategies < 2) throw new ArgumentException($"at least 2 strategies (columns) are needed, got {strategies}", nameof(performance));
        if (rows < 2 * partitions) throw new ArgumentException($"too few observations: {rows} rows for {partitions} partitions; each partition needs at least 2 rows", nameof(performance));
        for (var t = 0; t < rows; t++)
        {
            if (performance[t].Count != strategies) throw new ArgumentException($"row {t} has {performance[t].Count} values, expected {strategies}", nameof(performance));
            for (var n = 0; n < strategies; n++)
                if (!double.IsFinite(performance[t][n])) throw new ArgumentException($"row {t}, strategy {n} is not a finite number", nameof(performance));
        }

        // Sufficient statistics per block and strategy, so each combination costs O(S N).
        var blocks = Combinatorics.ContiguousBlocks(rows, partitions);
        var count = new int[partitions];
        var sum = new double[partitions, strategies];
        var sumSq = new double[partitions, strategies];
        for (var b = 0; b < partitions; b++)
        {
            count[b] = blocks[b].Length;
            foreach (var t in blocks[b])
                for (var n = 0; n < strategies; n++)
                {
                    var x = performance[t][n];
                    sum[b, n] += x;
                    sumSq[b, n] += x * x;
                }
        }

        var logits = new List<double>();
        var best = new List<int>();
        var bestIs = new List<double>();
        var bestOos = new List<double>();
        var inTrain = new bool[partitions];
        var isSharpe = new double[strategies];
        var oosSharpe = new double[strategies];
        foreach (var train in Combinatorics.Subsets(partitions, partitions / 2))
        {
            Array.Clear(inTrain);
            foreach (var b in train) inTrain[b] = true;
            for (var n = 0; n < strategies; n++)
            {
                double isSum = 0, isSq = 0, oosSum = 0, oosSq = 0;
                int isCount = 0, oosCount = 0;
                for (var b = 0; b < partitions; b++)
                {
                    if (inTrain[b]) { isSum += sum[b, n]; isSq += sumSq[b, n]; isCount += count[b]; }
                    else { oosSum += sum[b, n]; oosSq += sumSq[b, n]; oosCount += count[b]; }
                }
                isSharpe[n] = Sharpe(isSum, isSq, isCount);
                oosSharpe[n] = Sharpe(oosSum, oosSq, oosCount);
            }
            var star = 0;
            for (var n = 1; n < strategies; n++) if (isSharpe[n] > isSharpe[star]) star = n;
            var omega = RelativeRank(oosSharpe, star);
            logits.Add(Math.Log(omega / (1 - omega)));
            best.Add(star);
            bestIs.Add(isSharpe[star]);
            bestOos.Add(oosSharpe[star]);
        }
        var pbo = logits.Count(l => l <= 0) / (double)logits.Count;
        return new PboResult(pbo, partitions, rows, strategies, logits, best, bestIs, bestOos);
    }

    /// <summary>omega = rank / (N + 1), rank 1 = lowest, ties averaged: strictly inside (0, 1).</summary>
    internal static double RelativeRank(IReadOnlyList<double> values, int index)
    {
        var v = values[index];
        int below = 0, equal = 0;
        foreach (var x in values)
        {
            if (x < v) below++;
            else if (x == v) equal++;
        }
        var rank = below + (equal + 1) / 2.0;
        return rank / (values.Count + 1);
    }

    /// <summary>Mean over sample standard deviation; a flat series (variance at rounding level) scores 0, or +/-inf with a non-zero mean.</summary>
    private static double Sharpe(double sum, double sumSq, int count)
    {
        var mean = sum / count;
        var variance = Math.Max(0, (sumSq - sum * mean) / (count - 1));
        if (variance <= 1e-12 * (sumSq / count)) return mean == 0 ? 0 : mean > 0 ? double.PositiveInfinity : double.NegativeInfinity;
        return mean / Math.Sqrt(variance);
    }
}
