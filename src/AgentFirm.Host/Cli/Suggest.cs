namespace AgentFirm.Host.Cli;

/// <summary>
/// "Did you mean" for misspelled verbs, flags, strategies and parameter keys: the known names nearest to
/// what was typed by edit distance (insertions, deletions, substitutions and swaps of neighbours each cost 1).
/// </summary>
public static class Suggest
{
    /// <summary>The closest candidates, if any is close enough to be a plausible typo (at most a third of the word wrong, and 1 at least).</summary>
    public static IReadOnlyList<string> Nearest(string typed, IEnumerable<string> candidates)
    {
        var scored = candidates.Distinct(StringComparer.OrdinalIgnoreCase)
            .Select(c => (Name: c, Distance: Distance(Normalise(typed), Normalise(c))))
            .Where(c => c.Distance <= Math.Max(1, Normalise(typed).Length / 3))
            .ToList();
        if (scored.Count == 0) return [];
        var best = scored.Min(s => s.Distance);
        return scored.Where(s => s.Distance == best).Select(s => s.Name).OrderBy(s => s, StringComparer.Ordinal).ToList();
    }

    /// <summary>" (did you mean X?)" or "" when nothing is close.</summary>
    public static string DidYouMean(string typed, IEnumerable<string> candidates)
    {
        var near = Nearest(typed, candidates);
        return near.Count == 0 ? "" : $" (did you mean {string.Join(" or ", near)}?)";
    }

    // Leading dashes are not part of the word: "-strategy" is one edit from "--strategy", not a different name.
    private static string Normalise(string s) => s.TrimStart('-').ToLowerInvariant();

    /// <summary>Optimal string alignment distance (Damerau-Levenshtein without repeated edits of one substring).</summary>
    public static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
        for (var j = 1; j <= b.Length; j++)
        {
            var cost = a[i - 1] == b[j - 1] ? 0 : 1;
            d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
        }
        return d[a.Length, b.Length];
    }
}
