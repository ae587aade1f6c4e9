using MathNet.Numerics;

namespace AgentFirm.Causal;

/// <summary>
/// Nonlinear conditional-independence test (tigramite's CMIknn, Runge 2018, AISTATS "Conditional independence testing
/// based on a nearest-neighbor estimator of conditional mutual information"): the Frenzel-Pompe / Kraskov estimator
/// I(X;Y|Z) = psi(k) - mean[psi(k_xz) + psi(k_yz) - psi(k_z)] on rank-transformed data in the max-norm, and a
/// one-sided local permutation test: X is shuffled only among the shuffleNeighbors nearest neighbours in Z (or
/// fully when Z is empty), which keeps X's dependence on Z under the null. Deterministic: every test draws from a
/// generator seeded by the seed and the test's variables. Cost is O(n^2 d) per estimate, times the shuffles.
/// </summary>
public sealed class CmiKnn : ICondIndTest
{
    /// <param name="knn">Neighbours k: below 1 a fraction of the samples (tigramite's default 0.2), else a count.</param>
    /// <param name="shuffleNeighbors">Neighbourhood in Z within which X is permuted (tigramite default 5).</param>
    /// <param name="shuffles">Permutations for the null distribution (tigramite's sig_samples, default 500).</param>
    public CmiKnn(double knn = 0.2, int shuffleNeighbors = 5, int shuffles = 200, int seed = 42)
    {
        if (!(knn > 0)) throw new ArgumentException($"knn must be > 0, got {knn}.");
        if (shuffleNeighbors < 1) throw new ArgumentException($"shuffle neighbours must be >= 1, got {shuffleNeighbors}.");
        if (shuffles < 1) throw new ArgumentException($"shuffles must be >= 1, got {shuffles}.");
        Knn = knn;
        ShuffleNeighbors = shuffleNeighbors;
        Shuffles = shuffles;
        Seed = seed;
    }

    public double Knn { get; }
    public int ShuffleNeighbors { get; }
    public int Shuffles { get; }
    public int Seed { get; }

    public string Name => "cmiknn";

    public ICondIndSession Open(PcmciData data, int tauMax) => new Session(this, new LaggedSamples(data, tauMax));

    /// <summary>The CMI estimate for columns x, y, z (rows are samples), after the rank transform; exposed for tests.</summary>
    public static double Estimate(IReadOnlyList<double> x, IReadOnlyList<double> y, IReadOnlyList<IReadOnlyList<double>> z, int k)
    {
        var estimator = new Estimator(Ranks(y.ToArray()), z.Select(c => Ranks(c.ToArray())).ToArray(), k);
        return estimator.Cmi(Ranks(x.ToArray()));
    }

    /// <summary>
    /// Frenzel-Pompe estimate on integer ranks in the max-norm. The Y-Z and Z distances do not change when X is
    /// shuffled, so they are tabulated once per test and each permutation only adds X's distances.
    /// Counts include the point itself, within a strict radius (tigramite: eps * (1 - 1e-9) on tie-free data).
    /// </summary>
    private sealed class Estimator
    {
        private readonly int _n, _k;
        private readonly int[] _yz, _z, _distances;
        private readonly bool _hasZ;
        private readonly double[] _digamma;

        public Estimator(int[] y, int[][] z, int k)
        {
            _n = y.Length;
            _k = k;
            _hasZ = z.Length > 0;
            _yz = new int[_n * _n];
            _z = new int[_n * _n];
            for (var i = 0; i < _n; i++)
                for (var j = 0; j < _n; j++)
                {
                    var dz = 0;
                    foreach (var c in z) dz = Math.Max(dz, Math.Abs(c[i] - c[j]));
                    _z[i * _n + j] = dz;
                    _yz[i * _n + j] = Math.Max(dz, Math.Abs(y[i] - y[j]));
                }
            _distances = new int[_n];
            _digamma = new double[_n + 1];
            for (var m = 1; m <= _n; m++) _digamma[m] = SpecialFunctions.DiGamma(m);
        }

        public double Cmi(int[] x)
        {
            var n = _n;
            double sum = 0;
            for (var i = 0; i < n; i++)
            {
                var row = i * n;
                var xi = x[i];
                for (var j = 0; j < n; j++) _distances[j] = Math.Max(Math.Abs(xi - x[j]), _yz[row + j]);
                // the (k+1)-th smallest distance including the point itself at 0 is the k-th neighbour
                var eps = Select(_distances, _k);
                int kxz = 0, kyz = 0, kz = 0;
                for (var j = 0; j < n; j++)
                {
                    var dz = _z[row + j];
                    if (dz >= eps) continue;
                    kz++;
                    if (Math.Abs(xi - x[j]) < eps) kxz++;
                    if (_yz[row + j] < eps) kyz++;
                }
                if (!_hasZ) kz = n;
                sum += _digamma[kxz] + _digamma[kyz] - _digamma[kz];
            }
            return _digamma[_k] - sum / n;
        }
    }

    private sealed class Session(CmiKnn test, LaggedSamples samples) : ICondIndSession
    {
        public CondIndResult Test(LaggedVar x, LaggedVar y, ReadOnlySpan<LaggedVar> z)
        {
            var nodes = new LaggedVar[2 + z.Length];
            nodes[0] = x;
            nodes[1] = y;
            z.CopyTo(nodes.AsSpan(2));
            var use = new bool[samples.Count];
            Array.Fill(use, true);
            foreach (var v in nodes)
            {
                var col = samples.Column(v);
                for (var t = 0; t < use.Length; t++) if (double.IsNaN(col[t])) use[t] = false;
            }
            var rows = Enumerable.Range(0, use.Length).Where(t => use[t]).ToArray();
            var n = rows.Length;
            var k = test.Knn < 1 ? Math.Max(1, (int)(test.Knn * n)) : (int)test.Knn;
            if (n < k + 2) return new CondIndResult(double.NaN, double.NaN, n);

            var random = new Random(SeedFor(test.Seed, nodes));
            var columns = new int[nodes.Length][];
            for (var c = 0; c < nodes.Length; c++)
            {
                var col = samples.Column(nodes[c]);
                var values = new double[n];
                for (var r = 0; r < n; r++) values[r] = col[rows[r]];
                // ties are broken at random, as tigramite's tiny added noise does
                columns[c] = Ranks(values, random);
            }
            var zColumns = columns[2..];
            var estimator = new Estimator(columns[1], zColumns, k);
            var value = estimator.Cmi(columns[0]);

            var neighbours = zColumns.Length > 0 && test.ShuffleNeighbors < n ? NearestInZ(zColumns, test.ShuffleNeighbors) : null;
            var shuffled = new int[n];
            var exceed = 0;
            var permutation = new int[n];
            var order = new int[n];
            var taken = new bool[n];
            for (var s = 0; s < test.Shuffles; s++)
            {
                if (neighbours is null) Permute(permutation, random);
                else RestrictedPermutation(neighbours, test.ShuffleNeighbors, permutation, order, taken, random);
                for (var t = 0; t < n; t++) shuffled[t] = columns[0][permutation[t]];
                if (estimator.Cmi(shuffled) >= value) exceed++;
            }
            return new CondIndResult(value, exceed / (double)test.Shuffles, n);
        }

        public double? ModelSelectionScore(int j, ReadOnlySpan<LaggedVar> parents) => null;
    }

    private static int SeedFor(int seed, LaggedVar[] nodes)
    {
        unchecked
        {
            var h = (uint)seed * 2654435761u + 17;
            foreach (var v in nodes) h = (h ^ (uint)(v.Var * 1000 + v.Lag)) * 16777619u;
            return (int)(h & 0x7fffffff);
        }
    }

    /// <summary>Ranks 0..n-1; ties broken by a random draw when a generator is given, else by position.</summary>
    private static int[] Ranks(double[] values, Random? random = null)
    {
        var n = values.Length;
        var jitter = new double[n];
        if (random is not null) for (var t = 0; t < n; t++) jitter[t] = random.NextDouble();
        var order = Enumerable.Range(0, n).OrderBy(t => values[t]).ThenBy(t => jitter[t]).ToArray();
        var ranks = new int[n];
        for (var r = 0; r < n; r++) ranks[order[r]] = r;
        return ranks;
    }

    /// <summary>The element of rank k (0-based) of values, which it reorders (quickselect).</summary>
    private static int Select(int[] values, int k)
    {
        int lo = 0, hi = values.Length - 1;
        while (lo < hi)
        {
            var pivot = values[(lo + hi) >>> 1];
            int i = lo, j = hi;
            while (i <= j)
            {
                while (values[i] < pivot) i++;
                while (values[j] > pivot) j--;
                if (i <= j) { (values[i], values[j]) = (values[j], values[i]); i++; j--; }
            }
            if (k <= j) hi = j;
            else if (k >= i) lo = i;
            else return values[k];
        }
        return values[k];
    }

    /// <summary>For each sample the m nearest samples in Z (max-norm, itself first), nearest first.</summary>
    private static int[][] NearestInZ(int[][] z, int m)
    {
        var n = z[0].Length;
        var result = new int[n][];
        var d = new int[n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                var dz = 0;
                foreach (var c in z) dz = Math.Max(dz, Math.Abs(c[i] - c[j]));
                d[j] = dz;
            }
            result[i] = Enumerable.Range(0, n).OrderBy(j => d[j]).ThenBy(j => j == i ? 0 : 1).ThenBy(j => j).Take(m).ToArray();
        }
        return result;
    }

    private static void Permute(int[] permutation, Random random)
    {
        for (var t = 0; t < permutation.Length; t++) permutation[t] = t;
        random.Shuffle(permutation);
    }

    /// <summary>tigramite get_restricted_permutation: visit samples in random order, each takes a random unused Z-neighbour (the last one if all are used).</summary>
    private static void RestrictedPermutation(int[][] neighbours, int m, int[] permutation, int[] order, bool[] taken, Random random)
    {
        Permute(order, random);
        Array.Clear(taken);
        foreach (var row in neighbours) random.Shuffle(row);
        foreach (var i in order)
        {
            var pick = 0;
            var use = neighbours[i][0];
            while (taken[use] && pick < m - 1) use = neighbours[i][++pick];
            permutation[i] = use;
            taken[use] = true;
        }
    }
}
