using System.Diagnostics;

namespace AgentFirm.Bench;

internal static class Measure
{
    /// <summary>
    /// Runs <paramref name="once"/> after a warm-up until <paramref name="budget"/> has passed and returns
    /// the best (fastest) per-run time: on a noisy shared machine the minimum is the most repeatable figure.
    /// </summary>
    public static (double BestSeconds, int Runs) Best(Action once, TimeSpan budget, int warmups = 3)
    {
        for (var i = 0; i < warmups; i++) once();
        var best = double.MaxValue;
        var runs = 0;
        var total = Stopwatch.StartNew();
        while (total.Elapsed < budget || runs < 3)
        {
            var sw = Stopwatch.StartNew();
            once();
            best = Math.Min(best, sw.Elapsed.TotalSeconds);
            runs++;
        }
        return (best, runs);
    }
}
