using AgentFirm.Core;

namespace AgentFirm.Quant.Execution;

/// <summary>
/// Which parent orders a study works: one every <see cref="Every"/> from <see cref="From"/> (decisions on the
/// sub-bar grid), each over <see cref="Horizon"/>, sized at <see cref="Participation"/> of the volume the horizon is
/// expected to trade (the mean sub-bar volume of the day before the decision times the steps in the horizon, so
/// the size is known at the decision), on a seeded random side.
/// </summary>
public sealed record StudySpec(DateTimeOffset From, DateTimeOffset To, TimeSpan Every, TimeSpan Horizon, double Participation, long Seed)
{
    public void Validate()
    {
        if (To <= From) throw new ArgumentException($"The study's span is empty ({From:O} to {To:O}).");
        if (Every <= TimeSpan.Zero || Horizon <= TimeSpan.Zero) throw new ArgumentException("The study needs a positive spacing and horizon.");
        if (!(Participation > 0) || Participation > 1) throw new ArgumentException($"Participation must be in (0, 1], got {Participation}.");
    }
}

/// <summary>Implementation shortfall of one algorithm over many parents, in bps of the decision (or arrival) notional.</summary>
public sealed record AlgorithmSummary(string Algorithm, int Parents, double MeanBps, double SdBps, double ArrivalBps, double FeesBps,
    double ImpactBps, double OpportunityBps, double FilledShare)
{
    /// <summary>Standard error of the mean shortfall.</summary>
    public double StandardErrorBps => Parents > 1 ? SdBps / Math.Sqrt(Parents) : double.NaN;
}

/// <summary>Works the same parents with several algorithms on one bar series and summarises the shortfall of each.</summary>
public static class ExecutionStudy
{
    public static IReadOnlyList<ParentOrder> Parents(Bar[] bars, string symbol, StudySpec spec)
    {
        spec.Validate();
        var parents = new List<ParentOrder>();
        if (bars.Length < 2) return parents;
        var step = bars[0].Duration;
        var stepsPerDay = Math.Max(1, (int)(TimeSpan.FromDays(1) / step));
        var horizonSteps = Math.Max(1, (int)(spec.Horizon / step));
        var random = new Random(unchecked((int)spec.Seed));
        var k = 0;
        for (var t = spec.From; t + spec.Horizon <= spec.To; t += spec.Every)
        {
            while (k < bars.Length && bars[k].CloseTime <= t) k++;
            // bars[0..k) closed by t; a day of them sizes the order, the last one prices the decision.
            if (k < stepsPerDay) continue;
            if (k >= bars.Length) break; // past the data: no sub-bar left to trade on
            double volume = 0;
            for (var j = k - stepsPerDay; j < k; j++) volume += bars[j].Volume;
            var quantity = spec.Participation * volume / stepsPerDay * horizonSteps;
            var side = random.Next(2) == 0 ? OrderSide.Buy : OrderSide.Sell;
            if (quantity > 0 && bars[k - 1].Close > 0)
                parents.Add(new ParentOrder(symbol, side, quantity, t, bars[k - 1].Close, spec.Horizon));
        }
        return parents;
    }

    /// <summary>Works every parent with every algorithm; parents with no sub-bar inside their horizon are skipped for all alike.</summary>
    public static Dictionary<string, List<ParentOrderResult>> Run(Bar[] bars, IReadOnlyList<ParentOrder> parents, IReadOnlyList<IExecutionAlgorithm> algorithms, VenueModel venue)
    {
        var simulator = new ParentOrderSimulator(venue);
        var results = algorithms.ToDictionary(a => a.Name, _ => new List<ParentOrderResult>());
        foreach (var parent in parents)
        {
            var end = parent.DecisionTime + parent.Horizon;
            var i = Array.FindIndex(bars, b => b.Time >= parent.DecisionTime);
            if (i < 0 || bars[i].Time >= end) continue;
            foreach (var algorithm in algorithms) results[algorithm.Name].Add(simulator.Work(parent, bars, algorithm));
        }
        return results;
    }

    public static AlgorithmSummary Summarise(string algorithm, IReadOnlyList<ParentOrderResult> results)
    {
        var n = results.Count;
        if (n == 0) return new AlgorithmSummary(algorithm, 0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);
        double Mean(Func<ImplementationShortfall, double> f) => results.Average(r => f(r.Shortfall));
        var mean = Mean(s => s.TotalBps);
        var sd = n > 1 ? Math.Sqrt(results.Sum(r => (r.Shortfall.TotalBps - mean) * (r.Shortfall.TotalBps - mean)) / (n - 1)) : double.NaN;
        double Bps(ImplementationShortfall s, double money) => money / (s.Quantity * s.DecisionPrice) * 10_000;
        return new AlgorithmSummary(algorithm, n, mean, sd, Mean(s => s.ArrivalBps), Mean(s => Bps(s, s.Fees)), Mean(s => Bps(s, s.ImpactCost)),
            Mean(s => Bps(s, s.OpportunityCost)), Mean(s => s.FilledShare));
    }
}
