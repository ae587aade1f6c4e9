namespace AgentFirm.Llm;

/// <summary>
/// Thread-safe counters of a mind's calls, so the dashboard and tests can see how often the model was
/// useful and why it was not. One instance per mind (no static state).
/// </summary>
public sealed class MindStats
{
    private long _calls;
    private long _successes;
    private long _cacheHits;
    private long _bounded;
    private readonly long[] _fallbacks = new long[Enum.GetValues<FallbackReason>().Length];

    public long Calls => Interlocked.Read(ref _calls);
    public long Successes => Interlocked.Read(ref _successes);
    public long CacheHits => Interlocked.Read(ref _cacheHits);
    /// <summary>Answers that MaxDeviation had to pull back towards the quant decision.</summary>
    public long Bounded => Interlocked.Read(ref _bounded);
    public long Fallbacks => Enum.GetValues<FallbackReason>().Sum(FallbacksFor);

    public long FallbacksFor(FallbackReason reason) => Interlocked.Read(ref _fallbacks[(int)reason]);

    public IReadOnlyDictionary<FallbackReason, long> FallbacksByReason() =>
        Enum.GetValues<FallbackReason>().ToDictionary(r => r, FallbacksFor);

    internal void RecordCall() => Interlocked.Increment(ref _calls);
    internal void RecordSuccess() => Interlocked.Increment(ref _successes);
    internal void RecordCacheHit() => Interlocked.Increment(ref _cacheHits);
    internal void RecordBounded() => Interlocked.Increment(ref _bounded);
    internal void RecordFallback(FallbackReason reason) => Interlocked.Increment(ref _fallbacks[(int)reason]);

    public override string ToString() =>
        $"calls {Calls}, successes {Successes}, cache hits {CacheHits}, bounded {Bounded}, fallbacks {Fallbacks} " +
        $"({string.Join(", ", FallbacksByReason().Where(p => p.Value > 0).Select(p => $"{p.Key} {p.Value}"))})";
}
