namespace AgentFirm.Causal;

/// <summary>
/// PCMCI+ (Runge 2020, "Discovering contemporaneous and lagged causal relations in autocorrelated nonlinear time
/// series datasets", UAI), in tigramite 5.2's defaults: contemp_collider_rule 'majority', conflict_resolution on,
/// reset_lagged_links off.
/// 1. PC1 stage: lagged parents of every variable (as PCMCI).
/// 2. Skeleton: for the lagged parents and all contemporaneous pairs, MCI-type tests conditioning on subsets S of
///    the contemporaneous adjacencies of Y (sizes 0, 1, ...; adjacency sets fixed within a size, sorted by the
///    minimum statistic after each size) plus Y's lagged parents and X's lagged parents shifted by tau. A link is
///    removed when p &gt; pc_alpha; S is its separating set.
/// 3. Colliders: for each unshielded triple X_{t-tau} *-o K_t o-o Y_t, all subsets of Y's (and for tau = 0 X's)
///    contemporaneous neighbours are tested; the triple is a collider when fewer than half of the separating subsets
///    contain K, a non-collider when more than half do, ambiguous otherwise. Colliders orient K &lt;-- Y (and X --&gt; K
///    for tau = 0); an orientation against an earlier one marks the link 'x-x'.
/// 4. Meek's rules R1-R3 on contemporaneous 'o-o' links (skipping ambiguous triples), conflicts marked 'x-x'.
/// Lagged links are always '-->' (time order). With pc_alpha auto every candidate runs the whole algorithm and the
/// one with the lowest mean model-selection score of a DAG in the result's equivalence class wins (tigramite
/// _optimize_pcmciplus_alpha).
/// </summary>
internal static class PcmciPlus
{
    public static PcmciResult Run(PcmciData data, PcmciOptions options, ICondIndSession session)
    {
        if (options.PcAlpha is not null) return RunOnce(data, options, session, out _);
        PcmciResult? best = null;
        var bestScore = double.PositiveInfinity;
        var pcTests = 0;
        var mciTests = 0;
        foreach (var alpha in PcmciOptions.AutoPcAlphas)
        {
            var result = RunOnce(data, options with { PcAlpha = alpha }, session, out _);
            pcTests += result.PcTests;
            mciTests += result.MciTests;
            var dag = DagFromCpdag(result.Graph, result.ValMatrix);
            double score = 0;
            for (var j = 0; j < data.N; j++)
            {
                var parents = new List<LaggedVar>();
                for (var i = 0; i < data.N; i++)
                    for (var tau = 0; tau <= options.TauMax; tau++)
                        if (dag[i][j][tau] == "-->") parents.Add(new LaggedVar(i, tau));
                score += session.ModelSelectionScore(j, parents.ToArray())
                    ?? throw new ArgumentException($"pc_alpha auto needs a test with a model-selection score; {options.Test.Name} has none.");
            }
            score /= data.N;
            if (score < bestScore)
            {
                bestScore = score;
                best = result;
            }
        }
        return new PcmciResult(data, options, best!.PMatrix, best.ValMatrix, best.Graph, best.Parents, best.PcAlphas, pcTests, mciTests);
    }

    private static PcmciResult RunOnce(PcmciData data, PcmciOptions options, ICondIndSession session, out List<((int I, int Tau) X, int K, int J)> ambiguous)
    {
        var n = data.N;
        var tauMin = options.TauMin;
        var tauMax = options.TauMax;
        var pcAlpha = options.PcAlpha!.Value;
        var (parents, pcAlphas, pcTests, pcP, pcVal) = Pcmci.SelectParentsWithStatistics(data, options, session);
        var lagged = parents;
        var tests = 0;

        // initial graph: the PC1 parents plus every contemporaneous pair
        var graph = EmptyGraph(n, tauMax);
        for (var j = 0; j < n; j++)
            foreach (var q in lagged[j])
                if (q.Lag >= tauMin) graph[q.Var][j][q.Lag] = "-?>";
        if (tauMin == 0)
            for (var i = 0; i < n; i++)
                for (var j = 0; j < n; j++)
                    if (i != j) graph[i][j][0] = "o?o";

        var skP = Pcmci.Matrix(n, tauMax, 0.0);
        var skVal = Pcmci.Matrix(n, tauMax, 0.0);
        var valMin = new Dictionary<LaggedVar, double>[n];
        for (var j = 0; j < n; j++)
        {
            valMin[j] = [];
            for (var i = 0; i < n; i++)
                for (var tau = 0; tau <= tauMax; tau++)
                {
                    if (graph[i][j][tau].Length == 0) skP[i][j][tau] = 1;
                    else valMin[j][new LaggedVar(i, tau)] = double.PositiveInfinity;
                }
        }
        var sepsets = new Dictionary<(LaggedVar X, int J), List<LaggedVar>>();
        var adjacent = ContemporaneousAdjacencies(graph, null);
        var maxCondsDim = options.MaxCondsDim ?? n;
        var z = new List<LaggedVar>();
        for (var p = 0; p <= maxCondsDim; p++)
        {
            var pairs = RemainingPairs(graph, adjacent, tauMin, tauMax, p);
            if (pairs.Count == 0) break;
            foreach (var (i, j, tau) in pairs)
            {
                if (graph[i][j][tau].Length == 0) continue;
                var x = new LaggedVar(i, tau);
                var pool = adjacent[j].Where(a => a != x).ToList();
                foreach (var s in Pcmci.Combinations(pool, p, buffer: null))
                {
                    var r = Test(session, options, lagged, x, j, s, z);
                    tests++;
                    var abs = Math.Abs(r.Value);
                    valMin[j][x] = Math.Min(abs, valMin[j].TryGetValue(x, out var old) ? old : double.PositiveInfinity);
                    if (r.PValue >= skP[i][j][tau])
                    {
                        skP[i][j][tau] = r.PValue;
                        skVal[i][j][tau] = r.Value;
                    }
                    if (r.PValue <= pcAlpha) continue;
                    if (tau == 0)
                    {
                        graph[i][j][0] = graph[j][i][0] = "";
                        sepsets[(new LaggedVar(i, 0), j)] = [.. s];
                        sepsets[(new LaggedVar(j, 0), i)] = [.. s];
                        skP[j][i][0] = skP[i][j][0];
                    }
                    else
                    {
                        graph[i][j][tau] = "";
                        sepsets[(x, j)] = [.. s];
                    }
                    break;
                }
            }
            adjacent = ContemporaneousAdjacencies(graph, valMin);
        }

        // p and statistic: PC1's for untested lagged links, the skeleton's for the rest (contemporaneous symmetrised)
        var pm = pcP;
        var vm = pcVal;
        for (var i = 0; i < n; i++)
            for (var j = 0; j < n; j++)
                if (i != j && tauMin == 0 && skP[i][j][0] >= skP[j][i][0])
                {
                    skP[j][i][0] = skP[i][j][0];
                    skVal[j][i][0] = skVal[i][j][0];
                }
        for (var i = 0; i < n; i++)
            for (var j = 0; j < n; j++)
            {
                pm[i][j][0] = skP[i][j][0];
                vm[i][j][0] = skVal[i][j][0];
            }
        for (var j = 0; j < n; j++)
            foreach (var q in lagged[j])
                if (q.Lag >= tauMin)
                {
                    pm[q.Var][j][q.Lag] = skP[q.Var][j][q.Lag];
                    vm[q.Var][j][q.Lag] = skVal[q.Var][j][q.Lag];
                }
        if (options.Fdr == FdrCorrection.BenjaminiHochberg) FalseDiscovery.CorrectLagged(pm, tauMin, tauMax);

        foreach (var row in graph)
            foreach (var cell in row)
                for (var tau = 0; tau < cell.Length; tau++)
                    cell[tau] = cell[tau] switch { "o?o" => "o-o", "-?>" => "-->", "<?-" => "<--", var s => s };

        ambiguous = [];
        tests += OrientColliders(graph, session, options, lagged, pcAlpha, ambiguous);
        ApplyRules(graph, ambiguous);
        return new PcmciResult(data, options, pm, vm, graph, lagged, pcAlphas, pcTests, tests);
    }

    private static CondIndResult Test(ICondIndSession session, PcmciOptions options, IReadOnlyList<LaggedVar>[] lagged, LaggedVar x, int j, IReadOnlyList<LaggedVar> s, List<LaggedVar> z)
    {
        // tigramite _run_pcalg_test: S, then Y's lagged parents (not X), then X's lagged parents shifted by tau
        z.Clear();
        z.AddRange(s);
        foreach (var c in Pcmci.Take(lagged[j], options.MaxCondsPy))
            if (c != x && !z.Contains(c)) z.Add(c);
        foreach (var c in Pcmci.Take(lagged[x.Var], options.MaxCondsPx))
        {
            var shifted = new LaggedVar(c.Var, c.Lag + x.Lag);
            if (!z.Contains(shifted)) z.Add(shifted);
        }
        return session.Test(x, new LaggedVar(j, 0), System.Runtime.InteropServices.CollectionsMarshal.AsSpan(z));
    }

    private static List<(int I, int J, int Tau)> RemainingPairs(string[][][] graph, List<LaggedVar>[] adjacent, int tauMin, int tauMax, int p)
    {
        var n = graph.Length;
        var pairs = new List<(int, int, int)>();
        for (var i = 0; i < n; i++)
            for (var j = 0; j < n; j++)
                for (var tau = tauMin; tau <= tauMax; tau++)
                {
                    if (graph[i][j][tau].Length == 0) continue;
                    var x = new LaggedVar(i, tau);
                    if (adjacent[j].Count(a => a != x) >= p) pairs.Add((i, j, tau));
                }
        return pairs;
    }

    /// <summary>Contemporaneous neighbours of each variable, by variable or (after a size) by minimum statistic, strongest first.</summary>
    private static List<LaggedVar>[] ContemporaneousAdjacencies(string[][][] graph, Dictionary<LaggedVar, double>[]? sortBy)
    {
        var n = graph.Length;
        var adjacent = new List<LaggedVar>[n];
        for (var j = 0; j < n; j++)
        {
            var list = new List<LaggedVar>();
            for (var i = 0; i < n; i++)
                if (graph[i][j][0].Length > 0) list.Add(new LaggedVar(i, 0));
            if (sortBy is not null)
            {
                var order = sortBy[j].Keys.Select((k, index) => (k, index)).ToDictionary(e => e.k, e => e.index);
                list = list.Where(sortBy[j].ContainsKey).OrderByDescending(a => Math.Abs(sortBy[j][a])).ThenBy(a => order[a]).ToList();
            }
            adjacent[j] = list;
        }
        return adjacent;
    }

    /// <summary>Adjacencies of j at all lags (variable outer, lag inner), optionally without conflicting 'x-x' links.</summary>
    private static List<LaggedVar> Adjacencies(string[][][] graph, int j, bool includeConflicts)
    {
        var list = new List<LaggedVar>();
        for (var i = 0; i < graph.Length; i++)
            for (var tau = 0; tau < graph[i][j].Length; tau++)
            {
                var mark = graph[i][j][tau];
                if (mark.Length > 0 && (includeConflicts || mark != "x-x")) list.Add(new LaggedVar(i, tau));
            }
        return list;
    }

    private static int OrientColliders(string[][][] graph, ICondIndSession session, PcmciOptions options, IReadOnlyList<LaggedVar>[] lagged, double pcAlpha, List<((int I, int Tau) X, int K, int J)> ambiguous)
    {
        var n = graph.Length;
        var triples = new List<((int I, int Tau) X, int K, int J)>();
        for (var j = 0; j < n; j++)
            foreach (var k in Adjacencies(graph, j, false))
            {
                if (k.Lag != 0 || graph[k.Var][j][0] != "o-o") continue;
                foreach (var a in Adjacencies(graph, k.Var, false))
                    if (a != new LaggedVar(j, 0) && graph[a.Var][j][a.Lag].Length == 0 && graph[a.Var][k.Var][a.Lag] is "o-o" or "-->")
                        triples.Add(((a.Var, a.Lag), k.Var, j));
            }

        var contemporaneous = ContemporaneousAdjacencies(graph, null);
        var z = new List<LaggedVar>();
        var tests = 0;
        var colliders = new List<((int I, int Tau) X, int K, int J)>();
        foreach (var triple in triples)
        {
            var ((i, tau), k, j) = triple;
            var subsets = new List<LaggedVar[]>();
            var seen = new HashSet<string>();
            void AddAll(List<LaggedVar> pool)
            {
                if (pool.Count == 0) return;
                for (var size = 0; size <= pool.Count; size++)
                    foreach (var s in Pcmci.Combinations(pool, size, buffer: null))
                    {
                        var key = string.Join(";", s.OrderBy(v => v.Var).Select(v => v.Var));
                        if (seen.Add(key)) subsets.Add(s);
                    }
            }
            AddAll(contemporaneous[j].Where(l => !(l.Var == i && tau == 0)).ToList());
            if (tau == 0) AddAll(contemporaneous[i].Where(l => l.Var != j).ToList());
            int separating = 0, withK = 0;
            foreach (var s in subsets)
            {
                var r = Test(session, options, lagged, new LaggedVar(i, tau), j, s, z);
                tests++;
                if (r.PValue <= pcAlpha) continue;
                separating++;
                if (s.Contains(new LaggedVar(k, 0))) withK++;
            }
            // majority rule: 'k in fewer than half of the separating sets' means a collider
            if (separating == 0 || 2 * withK == separating) ambiguous.Add(triple);
            else if (2 * withK < separating) colliders.Add(triple);
        }

        var oriented = new HashSet<(int, int)>();
        void Orient(int from, int to)
        {
            if (!oriented.Contains((from, to)) && !oriented.Contains((to, from)))
            {
                graph[from][to][0] = "-->";
                graph[to][from][0] = "<--";
                oriented.Add((from, to));
            }
            else if (oriented.Contains((to, from)))
                graph[from][to][0] = graph[to][from][0] = "x-x";
        }
        foreach (var ((i, tau), k, j) in colliders)
        {
            Orient(j, k);
            if (tau == 0) Orient(i, k);
        }
        return tests;
    }

    /// <summary>Meek's rules R1-R3 on contemporaneous links until nothing changes (tigramite _pcalg_rules_timeseries).</summary>
    private static void ApplyRules(string[][][] graph, List<((int I, int Tau) X, int K, int J)> ambiguous)
    {
        var n = graph.Length;
        var oriented = new List<(int, int)>();
        var ambiguousSet = ambiguous.ToHashSet();
        void Orient(int from, int to)
        {
            if (!oriented.Contains((to, from)) && !oriented.Contains((from, to)))
            {
                graph[from][to][0] = "-->";
                graph[to][from][0] = "<--";
                oriented.Add((from, to));
            }
            if (oriented.Contains((to, from))) graph[from][to][0] = graph[to][from][0] = "x-x";
        }
        bool any1 = true, any2 = true, any3 = true;
        while (any1 || any2 || any3)
        {
            // R1: X *--> K o-o Y with X, Y not adjacent: K --> Y
            any1 = false;
            var triples1 = new List<((int I, int Tau) X, int K, int J)>();
            for (var j = 0; j < n; j++)
                foreach (var k in Adjacencies(graph, j, false))
                {
                    if (k.Lag != 0 || graph[j][k.Var][0] != "o-o") continue;
                    foreach (var a in Adjacencies(graph, k.Var, false))
                        if (a != new LaggedVar(j, 0) && graph[a.Var][j][a.Lag].Length == 0 && graph[a.Var][k.Var][a.Lag] == "-->")
                            triples1.Add(((a.Var, a.Lag), k.Var, j));
                }
            foreach (var t in triples1)
                if (!ambiguousSet.Contains(t)) { any1 = true; Orient(t.K, t.J); }

            // R2: I --> K --> J with I o-o J: I --> J
            any2 = false;
            var triples2 = new List<((int I, int Tau) X, int K, int J)>();
            for (var j = 0; j < n; j++)
                foreach (var k in ContemporaneousNoConflict(graph, j))
                {
                    if (graph[k][j][0] != "-->") continue;
                    foreach (var i in ContemporaneousNoConflict(graph, k))
                        if (graph[i][k][0] == "-->" && i != j && graph[i][j][0] == "o-o" && graph[j][i][0] == "o-o")
                            triples2.Add(((i, 0), k, j));
                }
            foreach (var t in triples2)
                if (!ambiguousSet.Contains(t)) { any2 = true; Orient(t.X.I, t.J); }

            // R3: I o-o K --> J and I o-o L --> J, K and L not adjacent, I o-o J: I --> J
            any3 = false;
            var chains = new List<(((int I, int Tau) X, int K, int J) A, ((int I, int Tau) X, int K, int J) B)>();
            for (var j = 0; j < n; j++)
            {
                var adj = ContemporaneousNoConflict(graph, j);
                foreach (var i in adj)
                {
                    if (graph[j][i][0] != "o-o") continue;
                    foreach (var k in adj)
                        foreach (var l in adj)
                            if (k != l && k != i && l != i && graph[k][j][0] == "-->" && graph[l][j][0] == "-->"
                                && graph[k][i][0] == "o-o" && graph[l][i][0] == "o-o" && graph[k][l][0].Length == 0)
                                chains.Add((((i, 0), k, j), ((i, 0), l, j)));
                }
            }
            foreach (var (a, b) in chains)
                if (!ambiguousSet.Contains(a) && !ambiguousSet.Contains(b)) { any3 = true; Orient(a.X.I, a.J); }
        }
    }

    private static List<int> ContemporaneousNoConflict(string[][][] graph, int j)
    {
        var list = new List<int>();
        for (var i = 0; i < graph.Length; i++)
        {
            var mark = graph[i][j][0];
            if (mark.Length > 0 && mark != "x-x") list.Add(i);
        }
        return list;
    }

    private static string[][][] EmptyGraph(int n, int tauMax)
    {
        var graph = new string[n][][];
        for (var i = 0; i < n; i++)
        {
            graph[i] = new string[n][];
            for (var j = 0; j < n; j++) graph[i][j] = Enumerable.Repeat("", tauMax + 1).ToArray();
        }
        return graph;
    }

    /// <summary>
    /// One DAG in the equivalence class (tigramite _get_dag_from_cpdag): repeatedly orient all undirected
    /// contemporaneous links into a simplicial node, visiting variables by total absolute statistic, largest first.
    /// </summary>
    internal static string[][][] DagFromCpdag(string[][][] cpdag, double[][][] val)
    {
        var n = cpdag.Length;
        var dag = cpdag.Select(r => r.Select(c => (string[])c.Clone()).ToArray()).ToArray();
        var circle = new bool[n, n];
        for (var i = 0; i < n; i++)
            for (var j = 0; j < n; j++)
                circle[i, j] = cpdag[i][j][0] == "o-o";
        var strength = Enumerable.Range(0, n).Select(j => Enumerable.Range(0, n).Sum(i => val[i][j].Sum(Math.Abs))).ToArray();
        var order = Enumerable.Range(0, n).OrderBy(j => strength[j]).Reverse().ToArray();
        while (true)
        {
            int? found = null;
            List<int>? neighbours = null;
            foreach (var j in order)
            {
                var adj = Enumerable.Range(0, n).Where(i => circle[i, j]).ToList();
                var all = adj.Count > 0;
                if (adj.Count > 1)
                    for (var a = 0; a < adj.Count && all; a++)
                        for (var b = a + 1; b < adj.Count; b++)
                            if (cpdag[adj[a]][adj[b]][0].Length == 0) { all = false; break; }
                if (all) { found = j; neighbours = adj; break; }
            }
            if (found is not { } node) break;
            foreach (var v in neighbours!)
            {
                dag[v][node][0] = "-->";
                dag[node][v][0] = "<--";
                circle[v, node] = circle[node, v] = false;
            }
        }
        return dag;
    }
}
