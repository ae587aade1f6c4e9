using System.Text.Json.Nodes;

namespace AgentFirm.Bench;

/// <summary>Every benchmark name the README quotes, mapped to the code that measures it.</summary>
public static class BenchmarkRegistry
{
    public static IReadOnlyDictionary<string, Func<JsonObject>> All { get; } = new SortedDictionary<string, Func<JsonObject>>
    {
        ["engine"] = EngineBenchmark.Run,
        ["execution"] = ExecutionBenchmark.Run,
        ["features"] = FeaturesBenchmark.Run,
        ["load"] = LoadBenchmark.Run,
        ["cluster-live"] = ClusterLiveBenchmark.Run,
        ["sweep"] = SweepBenchmark.Run,
        ["firm"] = FirmBenchmark.Run,
        ["finbert"] = FinbertBenchmark.Run,
        ["lexicon"] = LexiconBenchmark.Run,
        ["llm-local"] = LlmLocalBenchmark.Run,
        ["pcmci"] = PcmciBenchmark.Run,
        ["train"] = TrainBenchmark.Run,
    };
}
