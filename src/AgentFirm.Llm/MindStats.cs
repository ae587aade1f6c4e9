using System.Text.Json.Nodes;

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
    private long _retries;
    private long _repairs;
    private long _inputTokens;
    private long _outputTokens;
    private long _unrecorded;
    private readonly long[] _fallbacks = new long[Enum.GetValues<FallbackReason>().Length];
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> _prompts = new(StringComparer.Ordinal);

    public long Calls => Interlocked.Read(ref _calls);
    public long Successes => Interlocked.Read(ref _successes);
    public long CacheHits => Interlocked.Read(ref _cacheHits);
    /// <summary>Answers that MaxDeviation had to pull back towards the quant decision.</summary>
    public long Bounded => Interlocked.Read(ref _bounded);
    /// <summary>Extra tries after a transient failure (each counted once, whether or not the step then succeeded).</summary>
    public long Retries => Interlocked.Read(ref _retries);
    public long Fallbacks => Enum.GetValues<FallbackReason>().Sum(FallbacksFor);
    /// <summary>Second asks after an answer that broke the schema (analysts get one).</summary>
    public long Repairs => Interlocked.Read(ref _repairs);
    public long InputTokens => Interlocked.Read(ref _inputTokens);
    public long OutputTokens => Interlocked.Read(ref _outputTokens);
    /// <summary>Calls answered but not written to the cassettes (record mode): a replay of the run would miss them.</summary>
    public long Unrecorded => Interlocked.Read(ref _unrecorded);

    /// <summary>Model calls per prompt version (role/variant@hash): which prompt text produced this run's answers.</summary>
    public IReadOnlyDictionary<string, long> Prompts() => new SortedDictionary<string, long>(_prompts, StringComparer.Ordinal);

    public long FallbacksFor(FallbackReason reason) => Interlocked.Read(ref _fallbacks[(int)reason]);

    public IReadOnlyDictionary<FallbackReason, long> FallbacksByReason() =>
        Enum.GetValues<FallbackReason>().ToDictionary(r => r, FallbacksFor);

    internal void RecordCall() => Interlocked.Increment(ref _calls);
    internal void RecordSuccess() => Interlocked.Increment(ref _successes);
    internal void RecordCacheHit() => Interlocked.Increment(ref _cacheHits);
    internal void RecordBounded() => Interlocked.Increment(ref _bounded);
    internal void RecordRetry() => Interlocked.Increment(ref _retries);
    internal void RecordRepair() => Interlocked.Increment(ref _repairs);
    internal void RecordUnrecorded() => Interlocked.Increment(ref _unrecorded);
    internal void RecordPrompt(string version) => _prompts.AddOrUpdate(version, 1, (_, n) => n + 1);
    internal void RecordTokens(int input, int output)
    {
        Interlocked.Add(ref _inputTokens, input);
        Interlocked.Add(ref _outputTokens, output);
    }
    /// <summary>Counts the fallback and returns how many of this reason there have been, this one included.</summary>
    internal long RecordFallback(FallbackReason reason) => Interlocked.Increment(ref _fallbacks[(int)reason]);

    /// <summary>True when the mind fell back on more than half of its calls: the run was in effect the quant firm.</summary>
    public bool MostlyFellBack => Calls > 0 && Fallbacks * 2 > Calls;

    /// <summary>Fallback counts by reason, only the reasons that occurred, e.g. "HttpError 12, PromptError 3"; "none" when there were none.</summary>
    public string FallbackSummary()
    {
        var parts = FallbacksByReason().Where(p => p.Value > 0).Select(p => $"{p.Key} {p.Value}").ToArray();
        return parts.Length == 0 ? "none" : string.Join(", ", parts);
    }

    /// <summary>One line for a run's summary and the dashboard, e.g. "LLM mind: 250 calls, 238 answered (30 bounded by MaxDeviation), 12 fell back (HttpError 12), 40 retries, 0 cache hits".</summary>
    public string Describe(string? role = null) =>
        $"LLM {(role is null ? "" : role + " ")}mind: {Calls} calls, {Successes} answered ({Bounded} bounded by MaxDeviation), {Fallbacks} fell back to the quant decision ({FallbackSummary()}), {Retries} retries, {CacheHits} cache hits";

    /// <summary>The loud line for a run whose mind fell back on most steps; null when it did not.</summary>
    public string? Alarm(string? role = null) => !MostlyFellBack ? null
        : role is null
            ? $"WARNING: the LLM mind fell back to the quant decision on {Fallbacks} of {Calls} steps ({FallbackSummary()}): this run is in effect the quantitative firm; check AgentFirm:Llm (Endpoint, Model, PromptsFolder) and the log above."
            : $"WARNING: the LLM {role} mind abstained on {Fallbacks} of {Calls} steps ({FallbackSummary()}): its quantitative view stood in; check AgentFirm:Minds:{role} and the log above.";

    /// <summary>The counts as report.json's "mind" section.</summary>
    public JsonObject ToJson() => new()
    {
        ["calls"] = Calls,
        ["answered"] = Successes,
        ["bounded"] = Bounded,
        ["cache_hits"] = CacheHits,
        ["retries"] = Retries,
        ["fallbacks"] = Fallbacks,
        ["fallbacks_by_reason"] = new JsonObject(FallbacksByReason().Where(p => p.Value > 0)
            .Select(p => KeyValuePair.Create(p.Key.ToString(), (JsonNode?)p.Value))),
        ["mostly_fell_back"] = MostlyFellBack,
        ["repairs"] = Repairs,
        ["input_tokens"] = InputTokens,
        ["output_tokens"] = OutputTokens,
        ["unrecorded"] = Unrecorded,
        ["prompts"] = new JsonObject(Prompts().Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))),
    };

    public override string ToString() =>
        $"calls {Calls}, successes {Successes}, cache hits {CacheHits}, bounded {Bounded}, retries {Retries}, fallbacks {Fallbacks} ({FallbackSummary()})";
}
