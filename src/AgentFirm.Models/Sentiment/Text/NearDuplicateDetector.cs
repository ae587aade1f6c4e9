namespace AgentFirm.Models.Sentiment.Text;

public enum DuplicateKind { None, Exact, Near }

/// <summary>Whether a text repeats one seen before, and which cluster (first text) it belongs to.</summary>
public readonly record struct DuplicateMatch(DuplicateKind Kind, int Cluster, double Similarity);

/// <param name="Threshold">Estimated Jaccard similarity of word shingles at or above which a text is a near duplicate.</param>
/// <param name="ShingleWords">Words per shingle; texts shorter than this use their whole word sequence as one shingle.</param>
/// <param name="Bands">LSH bands; with <paramref name="RowsPerBand"/> rows each the signature has Bands x Rows hashes.</param>
/// <param name="MemoryDays">A text not seen again for this long is forgotten, so a long-running agent's memory stays bounded; a repeat after that counts as new.</param>
public sealed record DuplicateOptions(double Threshold = 0.7, int ShingleWords = 2, int Bands = 20, int RowsPerBand = 4, double MemoryDays = 7)
{
    public int SignatureLength => Bands * RowsPerBand;
}

/// <summary>
/// Exact and near-duplicate detection for a stream of texts. Exact: the same lower-cased word sequence.
/// Near: MinHash signatures of word shingles (Broder 1997) indexed by locality-sensitive hashing bands;
/// a candidate sharing a band is accepted when the fraction of equal signature slots (an unbiased estimate
/// of Jaccard similarity) reaches the threshold. Texts are compared only with texts added before them,
/// so a decision never depends on later text. Not thread-safe.
/// </summary>
public sealed class NearDuplicateDetector
{
    private readonly DuplicateOptions _options;
    private const int PruneEvery = 4096;

    private readonly Dictionary<string, int> _exact = new(StringComparer.Ordinal);
    private readonly Dictionary<(int Band, ulong Key), List<int>> _bands = [];
    private readonly Dictionary<int, (ulong[] Signature, DateTimeOffset LastSeen)> _clusters = [];
    private readonly ulong[] _seeds;
    private int _nextCluster;
    private int _addsSincePrune;

    public NearDuplicateDetector(DuplicateOptions? options = null)
    {
        _options = options ?? new DuplicateOptions();
        if (!(_options.Threshold is > 0 and <= 1)) throw new ArgumentException($"Duplicate threshold must be in (0, 1], got {_options.Threshold}.");
        if (_options.ShingleWords < 1 || _options.Bands < 1 || _options.RowsPerBand < 1) throw new ArgumentException("Shingle words, bands and rows must be positive.");
        if (!(_options.MemoryDays > 0)) throw new ArgumentException($"Duplicate memory must be positive, got {_options.MemoryDays} days.");
        _seeds = new ulong[_options.SignatureLength];
        var state = 0x9E3779B97F4A7C15UL;
        for (var k = 0; k < _seeds.Length; k++) _seeds[k] = SplitMix(ref state);
    }

    /// <summary>Distinct texts remembered now.</summary>
    public int ClusterCount => _clusters.Count;

    /// <summary>Checks a text against everything added before and files it: a new text opens a new cluster.</summary>
    public DuplicateMatch Add(string text) => Add(text, DateTimeOffset.MinValue);

    /// <summary>As <see cref="Add(string)"/>, for a text published at <paramref name="time"/> (times should not go backwards by more than the memory).</summary>
    public DuplicateMatch Add(string text, DateTimeOffset time)
    {
        if (++_addsSincePrune >= PruneEvery && time != DateTimeOffset.MinValue)
        {
            _addsSincePrune = 0;
            Forget(time - TimeSpan.FromDays(_options.MemoryDays));
        }
        // Pruning is batched, so a remembered text may already be older than the memory: it must not match.
        var horizon = time == DateTimeOffset.MinValue ? DateTimeOffset.MinValue : time - TimeSpan.FromDays(_options.MemoryDays);
        var words = Words(text);
        var canonical = string.Join(' ', words);
        if (_exact.TryGetValue(canonical, out var exactCluster) && _clusters[exactCluster].LastSeen >= horizon)
        {
            Touch(exactCluster, time);
            return new DuplicateMatch(DuplicateKind.Exact, exactCluster, 1);
        }

        var signature = Signature(words);
        var best = -1;
        var bestSimilarity = 0.0;
        var rows = _options.RowsPerBand;
        for (var b = 0; b < _options.Bands; b++)
        {
            if (!_bands.TryGetValue((b, BandKey(signature, b, rows)), out var candidates)) continue;
            foreach (var candidate in candidates)
            {
                if (_clusters[candidate].LastSeen < horizon) continue;
                var similarity = Similarity(signature, _clusters[candidate].Signature);
                if (similarity > bestSimilarity) (best, bestSimilarity) = (candidate, similarity);
            }
        }
        if (best >= 0 && bestSimilarity >= _options.Threshold)
        {
            _exact[canonical] = best;
            Touch(best, time);
            return new DuplicateMatch(DuplicateKind.Near, best, bestSimilarity);
        }

        var cluster = _nextCluster++;
        _clusters[cluster] = (signature, time);
        _exact[canonical] = cluster;
        for (var b = 0; b < _options.Bands; b++)
        {
            var key = (b, BandKey(signature, b, rows));
            if (!_bands.TryGetValue(key, out var list)) _bands[key] = list = [];
            list.Add(cluster);
        }
        return new DuplicateMatch(DuplicateKind.None, cluster, 0);
    }

    /// <summary>Forgets texts last seen before <paramref name="cutoff"/>; returns how many clusters went.</summary>
    public int Forget(DateTimeOffset cutoff)
    {
        var stale = _clusters.Where(c => c.Value.LastSeen < cutoff).Select(c => c.Key).ToHashSet();
        if (stale.Count == 0) return 0;
        foreach (var id in stale) _clusters.Remove(id);
        foreach (var key in _exact.Where(e => stale.Contains(e.Value)).Select(e => e.Key).ToList()) _exact.Remove(key);
        foreach (var (key, list) in _bands.ToList())
        {
            list.RemoveAll(stale.Contains);
            if (list.Count == 0) _bands.Remove(key);
        }
        return stale.Count;
    }

    private void Touch(int cluster, DateTimeOffset time)
    {
        var c = _clusters[cluster];
        if (time > c.LastSeen) _clusters[cluster] = (c.Signature, time);
    }

    /// <summary>Exact Jaccard similarity of two texts' shingle sets (for tests and reports).</summary>
    public static double Jaccard(string a, string b, int shingleWords = 2)
    {
        var sa = Shingles(Words(a), shingleWords).ToHashSet();
        var sb = Shingles(Words(b), shingleWords).ToHashSet();
        if (sa.Count == 0 && sb.Count == 0) return 1;
        var intersection = sa.Count(sb.Contains);
        return (double)intersection / (sa.Count + sb.Count - intersection);
    }

    private ulong[] Signature(List<string> words)
    {
        var signature = new ulong[_seeds.Length];
        Array.Fill(signature, ulong.MaxValue);
        foreach (var shingle in Shingles(words, _options.ShingleWords))
        {
            var h = Fnv1a(shingle);
            for (var k = 0; k < signature.Length; k++)
            {
                var state = h ^ _seeds[k];
                var v = SplitMix(ref state);
                if (v < signature[k]) signature[k] = v;
            }
        }
        return signature;
    }

    private static double Similarity(ulong[] a, ulong[] b)
    {
        var equal = 0;
        for (var k = 0; k < a.Length; k++) if (a[k] == b[k]) equal++;
        return (double)equal / a.Length;
    }

    private static ulong BandKey(ulong[] signature, int band, int rows)
    {
        var key = 1469598103934665603UL;
        for (var r = 0; r < rows; r++) key = (key ^ signature[band * rows + r]) * 1099511628211UL;
        return key;
    }

    internal static List<string> Words(string text)
    {
        var words = new List<string>();
        var i = 0;
        while (i < text.Length)
        {
            if (!char.IsLetterOrDigit(text[i])) { i++; continue; }
            var start = i;
            while (i < text.Length && char.IsLetterOrDigit(text[i])) i++;
            words.Add(text[start..i].ToLowerInvariant());
        }
        return words;
    }

    private static IEnumerable<string> Shingles(List<string> words, int size)
    {
        if (words.Count == 0) yield break;
        if (words.Count <= size) { yield return string.Join(' ', words); yield break; }
        for (var i = 0; i + size <= words.Count; i++) yield return string.Join(' ', words.GetRange(i, size));
    }

    private static ulong Fnv1a(string s)
    {
        var h = 14695981039346656037UL;
        foreach (var c in s) h = (h ^ c) * 1099511628211UL;
        return h;
    }

    private static ulong SplitMix(ref ulong state)
    {
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
