using AgentFirm.Core;
using AgentFirm.Market.Simulation;

namespace AgentFirm.Market.Tests.Simulation;

/// <summary>Small statistics the simulator tests measure planted properties with.</summary>
internal static class SimStats
{
    public static double Correlation(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        var n = x.Count;
        Assert.Equal(n, y.Count);
        double mx = x.Average(), my = y.Average(), sxy = 0, sxx = 0, syy = 0;
        for (var i = 0; i < n; i++)
        {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxy / Math.Sqrt(sxx * syy);
    }

    public static double Autocorrelation(IReadOnlyList<double> x, int lag) =>
        Correlation(x.Take(x.Count - lag).ToArray(), x.Skip(lag).ToArray());

    public static double[] BarLogReturns(IReadOnlyList<Bar> bars) =>
        bars.Select(b => Math.Log(b.Close / b.Open)).ToArray();

    /// <summary>Log return of each UTC day (bars tile days, so day d spans bars [d * barsPerDay, (d + 1) * barsPerDay)).</summary>
    public static double[] DailyLogReturns(SimulatedAsset asset, int barsPerDay)
    {
        var days = asset.Bars.Count / barsPerDay;
        var returns = new double[days];
        for (var d = 0; d < days; d++)
            returns[d] = Math.Log(asset.Bars[(d + 1) * barsPerDay - 1].Close / asset.Bars[d * barsPerDay].Open);
        return returns;
    }

    /// <summary>
    /// Pairs (feature[d], return[d + lag]) over all days and assets where the feature exists, each series
    /// standardised per asset so assets of different volatility pool fairly.
    /// </summary>
    public static double PooledLeadCorrelation(SimulationResult result, Func<SimulatedAsset, double?[]> feature, int lag)
    {
        var xs = new List<double>();
        var ys = new List<double>();
        foreach (var asset in result.Assets)
        {
            var f = feature(asset);
            var r = DailyLogReturns(asset, result.Options.BarsPerDay);
            var x = new List<double>();
            var y = new List<double>();
            for (var d = 0; d + lag < r.Length; d++)
                if (f[d] is { } v && double.IsFinite(v))
                {
                    x.Add(v);
                    y.Add(r[d + lag]);
                }
            xs.AddRange(Standardise(x));
            ys.AddRange(Standardise(y));
        }
        return Correlation(xs, ys);
    }

    /// <summary>Per asset and UTC day: (positive - negative) / count of that asset's headlines; null on a day without any.</summary>
    public static double?[] NetHeadlineSentiment(SimulationResult result, SimulatedAsset asset)
    {
        var days = result.Options.Days;
        var net = new double[days];
        var count = new int[days];
        foreach (var h in result.Headlines.Where(h => h.Symbol == asset.Symbol))
        {
            var d = (int)((h.Time - result.Options.Start).Ticks / TimeSpan.TicksPerDay);
            net[d] += h.Label switch { "positive" => 1, "negative" => -1, _ => 0 };
            count[d]++;
        }
        return Enumerable.Range(0, days).Select(d => count[d] == 0 ? (double?)null : net[d] / count[d]).ToArray();
    }

    private static IEnumerable<double> Standardise(List<double> x)
    {
        var mean = x.Average();
        var sd = Math.Sqrt(x.Sum(v => (v - mean) * (v - mean)) / (x.Count - 1));
        return x.Select(v => (v - mean) / sd);
    }
}
