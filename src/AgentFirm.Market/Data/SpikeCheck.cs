namespace AgentFirm.Market.Data;

/// <summary>
/// Flags bars wildly out of line with their neighbours (bad prints, unit slips), as warnings only.
/// Rule: ref = median close of the K=5 bars on each side (window shifted at the ends, the bar itself left out);
/// sigma = 1.4826 x median |log return| between consecutive neighbours (a robust per-bar volatility that the
/// spike cannot inflate); the bar's distance d = max(ln(high/ref), ln(ref/low)) (open and close lie inside).
/// Flag when d > max(floor, threshold x sigma x sqrt(K)): sqrt(K) because neighbours are up to K bars away, and
/// the floor (default ln 2) keeps flat, near-zero-volatility stretches from flagging ordinary moves.
/// A real crash moves the neighbours' closes with it, so it scores low; a lone bad print does not.
/// </summary>
internal static class SpikeCheck
{
    private const int K = 5;

    public static void Run(string file, RawBars rows, LoadOptions options, List<LoadWarning> warnings)
    {
        var n = rows.Count;
        if (!(options.SpikeThreshold > 0) || n < 3) return;
        var close = rows.Close;
        var high = rows.High;
        var low = rows.Low;
        // |log return| into each bar, computed once (index 0 unused).
        var absReturn = new double[n];
        for (var j = 1; j < n; j++) absReturn[j] = Math.Abs(Math.Log(close[j] / close[j - 1]));

        Span<double> closes = stackalloc double[2 * K];
        Span<double> returns = stackalloc double[2 * K];
        var scale = options.SpikeThreshold * Math.Sqrt(K);
        var floorFactor = Math.Exp(options.SpikeFloor);
        for (var i = 0; i < n; i++)
        {
            var hi = Math.Min(n, Math.Max(0, i - K) + 2 * K + 1);
            var lo = Math.Max(0, hi - 2 * K - 1);
            int nc = 0, nr = 0;
            double min = double.MaxValue, max = 0;
            for (var j = lo; j < hi; j++)
            {
                if (j == i) continue;
                var c = close[j];
                closes[nc++] = c;
                if (c < min) min = c;
                if (c > max) max = c;
                // Returns that do not touch bar i, so a spike cannot raise its own yardstick.
                if (j > lo && j - 1 != i) returns[nr++] = absReturn[j];
            }
            // The median lies within [min, max]: a bar within the floor of both ends cannot be a spike.
            if (high[i] <= min * floorFactor && low[i] * floorFactor >= max) continue;
            var reference = Median(closes[..nc]);
            var up = high[i] / reference;
            var down = reference / low[i];
            var distance = Math.Log(Math.Max(up, down));
            if (distance <= options.SpikeFloor) continue;
            var sigma = nr > 0 ? 1.4826 * Median(returns[..nr]) : 0.0;
            var limit = Math.Max(options.SpikeFloor, scale * sigma);
            if (distance <= limit) continue;
            var field = up >= down ? "high" : "low";
            warnings.Add(new LoadWarning(file, rows.Row[i], field,
                $"spike: bar at {BarRules.Iso(rows.Ticks[i])} (open {rows.Open[i]}, high {high[i]}, low {low[i]}, close {close[i]}) " +
                $"has {field} {Math.Exp(distance):0.##}x away from the median close of its neighbours ({reference}); " +
                $"log distance {distance:0.###} > limit {limit:0.###} (local sigma {sigma:0.####}); check the source"));
        }
    }

    private static double Median(Span<double> values)
    {
        // Insertion sort: at most 10 values.
        for (var a = 1; a < values.Length; a++)
        {
            var v = values[a];
            var b = a - 1;
            while (b >= 0 && values[b] > v)
            {
                values[b + 1] = values[b];
                b--;
            }
            values[b + 1] = v;
        }
        var m = values.Length / 2;
        return values.Length % 2 == 1 ? values[m] : 0.5 * (values[m - 1] + values[m]);
    }
}
