using AgentFirm.Causal;

namespace AgentFirm.Causal.Tests;

/// <summary>Seeded synthetic panels: a target driven by one driver at a known lag, plus pure-noise drivers.</summary>
internal static class Synthetic
{
    public static double Normal(Random random)
    {
        // Box-Muller: enough for tests, deterministic for a seeded Random
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    public static double[] Noise(Random random, int n) => Enumerable.Range(0, n).Select(_ => Normal(random)).ToArray();

    /// <summary>target[t] = beta x[t - lag] + noise; drivers: x ("planted") and noise0..noise{k-1}.</summary>
    public static (double[] Target, DriverSeries[] Drivers) Planted(int seed, int n, double beta, int lag, int noiseDrivers = 3)
    {
        var random = new Random(seed);
        var x = Noise(random, n);
        var target = new double[n];
        for (var t = 0; t < n; t++) target[t] = (t >= lag ? beta * x[t - lag] : 0) + Normal(random);
        var drivers = new List<DriverSeries> { new("planted", x) };
        for (var k = 0; k < noiseDrivers; k++) drivers.Add(new DriverSeries($"noise{k}", Noise(random, n)));
        return (target, drivers.ToArray());
    }

    public static double[] Shuffled(double[] values, Random random)
    {
        var copy = (double[])values.Clone();
        for (var i = copy.Length - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (copy[i], copy[j]) = (copy[j], copy[i]);
        }
        return copy;
    }
}
