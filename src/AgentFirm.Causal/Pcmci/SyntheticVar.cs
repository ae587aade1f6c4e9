namespace AgentFirm.Causal;

/// <summary>A link of a synthetic process: To[t] += Coefficient * f(From[t - Lag]), f the identity unless Nonlinear.</summary>
public sealed record VarLink(int From, int To, int Lag, double Coefficient, Func<double, double>? Nonlinear = null);

/// <summary>
/// Seeded vector-autoregressive processes with a known graph, for tests and benchmarks of causal discovery:
/// x_j[t] = sum over links into j of c f(x_i[t - lag]) + N(0, 1) noise, after a burn-in of 100 steps.
/// </summary>
public static class SyntheticVar
{
    public static PcmciData Generate(int variables, int steps, IReadOnlyList<VarLink> links, int seed, int burnIn = 100)
    {
        foreach (var l in links)
            if (l.Lag < 1 && !(l.Lag == 0 && l.From < l.To))
                throw new ArgumentException($"Link {l.From}->{l.To} at lag {l.Lag}: lags must be >= 1, or 0 from a lower to a higher variable (acyclic).");
        var random = new Random(seed);
        var total = steps + burnIn;
        var x = new double[variables][];
        for (var v = 0; v < variables; v++) x[v] = new double[total];
        for (var t = 0; t < total; t++)
            for (var j = 0; j < variables; j++) // variable order makes lag-0 links from lower indices available
            {
                var value = Normal(random);
                foreach (var l in links)
                {
                    if (l.To != j || t - l.Lag < 0) continue;
                    var driver = x[l.From][t - l.Lag];
                    value += l.Coefficient * (l.Nonlinear is { } f ? f(driver) : driver);
                }
                x[j][t] = value;
            }
        var names = Enumerable.Range(0, variables).Select(v => $"x{v}").ToArray();
        return new PcmciData(names, x.Select(s => s[burnIn..]).ToArray());
    }

    /// <summary>
    /// A random sparse stable graph: every variable has autodependence at lag 1 and one cross link from another
    /// variable at a lag in 1..maxLag (coefficients keep each equation's absolute sum below 1, so the process is stable).
    /// </summary>
    public static IReadOnlyList<VarLink> RandomGraph(int variables, int maxLag, int seed, double auto = 0.4, double cross = 0.35)
    {
        var random = new Random(seed);
        var links = new List<VarLink>();
        for (var j = 0; j < variables; j++)
        {
            links.Add(new VarLink(j, j, 1, auto));
            var from = random.Next(variables - 1);
            if (from >= j) from++;
            var sign = random.Next(2) == 0 ? -1 : 1;
            links.Add(new VarLink(from, j, 1 + random.Next(maxLag), sign * cross));
        }
        return links;
    }

    internal static double Normal(Random random)
    {
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
