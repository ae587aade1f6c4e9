namespace AgentFirm.Quant.Validation;

/// <summary>Binomial coefficients and k-subsets in lexicographic order, for CSCV and CPCV.</summary>
public static class Combinatorics
{
    public static long Binomial(int n, int k)
    {
        if (k < 0 || k > n) return 0;
        k = Math.Min(k, n - k);
        long result = 1;
        for (var i = 1; i <= k; i++) result = checked(result * (n - k + i) / i);
        return result;
    }

    /// <summary>Every k-subset of {0, ..., n-1}, each sorted ascending, in lexicographic order.</summary>
    public static IEnumerable<int[]> Subsets(int n, int k)
    {
        if (k < 0 || k > n) yield break;
        var current = new int[k];
        for (var i = 0; i < k; i++) current[i] = i;
        while (true)
        {
            yield return (int[])current.Clone();
            var j = k - 1;
            while (j >= 0 && current[j] == n - k + j) j--;
            if (j < 0) yield break;
            current[j]++;
            for (var i = j + 1; i < k; i++) current[i] = current[i - 1] + 1;
        }
    }

    /// <summary>Splits 0..count-1 into `parts` contiguous blocks whose sizes differ by at most one (the first blocks are the longer).</summary>
    public static int[][] ContiguousBlocks(int count, int parts)
    {
        if (parts < 1 || parts > count) throw new ArgumentOutOfRangeException(nameof(parts), parts, $"cannot split {count} observations into {parts} non-empty blocks");
        var blocks = new int[parts][];
        int size = count / parts, extra = count % parts, start = 0;
        for (var b = 0; b < parts; b++)
        {
            var length = size + (b < extra ? 1 : 0);
            blocks[b] = Enumerable.Range(start, length).ToArray();
            start += length;
        }
        return blocks;
    }
}
