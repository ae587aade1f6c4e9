using System.Text.Json.Nodes;
using AgentFirm.Models.Sentiment.Onnx;
using AgentFirm.Models.Sentiment.Onnx.Export;

namespace AgentFirm.Bench;

/// <summary>
/// `finbert`: sentences per second of a bert-base-shaped sequence classifier (12 layers, hidden 768, 12 heads,
/// intermediate 3072, vocabulary 30522; seeded random weights, since no pretrained model can be downloaded
/// here) on ONNX Runtime's CPU provider, 64 tokens per sentence, batch 32, fp32 and dynamic int8. The model
/// folders are written by our own exporter to a temp folder and deleted afterwards. Real headlines are
/// tokenised with a synthetic WordPiece vocabulary in which every word breaks into letters, so each one
/// fills the 64-token window; the timing includes tokenisation and batching, as a user would see it.
/// gflops = sentences/s x FLOPs per sentence (BertClassifierSpec.FlopsPerSentence: 2 x multiply-adds of
/// every matrix product, 11.02 GFLOP at 64 tokens).
/// Threads: AGENTFIRM_BENCH_THREADS (default 2, the machine's cores).
/// </summary>
internal static class FinbertBenchmark
{
    private const int Tokens = 64, Batch = 32;

    public static JsonObject Run()
    {
        var threads = int.TryParse(Environment.GetEnvironmentVariable("AGENTFIRM_BENCH_THREADS"), out var t) && t > 0 ? t : 2;
        var (headlines, source) = SentimentBenchData.Headlines();
        // Two headlines per text so even the shortest fills the 64-token window.
        var texts = Enumerable.Range(0, Batch).Select(i => headlines[i % headlines.Length] + " " + headlines[(i + Batch) % headlines.Length]).ToArray();
        var spec = BertClassifierSpec.Base;
        var folder = Path.Combine(Path.GetTempPath(), "agentfirm-bench-finbert-" + Guid.NewGuid().ToString("N"));
        try
        {
            var weights = BertWeights.Random(spec, seed: 1);
            var vocabulary = Vocabulary(spec.VocabSize);
            string[] labels = ["positive", "negative", "neutral"];
            var fp32Folder = Path.Combine(folder, "fp32");
            var int8Folder = Path.Combine(folder, "int8");
            var sw = System.Diagnostics.Stopwatch.StartNew();
            BertOnnxExporter.WriteModelFolder(fp32Folder, weights, vocabulary, labels);
            BertOnnxExporter.WriteModelFolder(int8Folder, weights, vocabulary, labels, precision: WeightPrecision.DynamicInt8);
            var exportSeconds = sw.Elapsed.TotalSeconds;

            var options = new OnnxSentimentOptions { ExecutionProvider = "cpu", IntraOpThreads = threads, MaxTokens = Tokens, BatchSize = Batch };
            var (fp32, fp32PerCpu, fp32Runs) = Time(fp32Folder, options, texts);
            var (int8, int8PerCpu, int8Runs) = Time(int8Folder, options, texts);
            var flops = spec.FlopsPerSentence(Tokens);
            return new JsonObject
            {
                ["bench"] = "finbert",
                ["model"] = "bert-base shape, random weights (12 x 768, 12 heads, 3072, vocab 30522)",
                ["data"] = source,
                ["tokens"] = Tokens,
                ["batch"] = Batch,
                ["threads"] = threads,
                ["fp32_sentences_per_s"] = Math.Round(Batch / fp32, 2),
                ["int8_sentences_per_s"] = Math.Round(Batch / int8, 2),
                ["int8_speedup"] = Math.Round(fp32 / int8, 2),
                ["fp32_sentences_per_cpu_s"] = Math.Round(fp32PerCpu, 2),
                ["int8_sentences_per_cpu_s"] = Math.Round(int8PerCpu, 2),
                ["gflop_per_sentence"] = Math.Round(flops / 1e9, 3),
                ["gflops"] = Math.Round(Batch / fp32 * flops / 1e9, 1),
                ["int8_gops"] = Math.Round(Batch / int8 * flops / 1e9, 1),
                ["goal_fp32_sentences_per_s"] = 12,
                ["goal_int8_sentences_per_s"] = 40,
                ["fp32_model_mb"] = Math.Round(new FileInfo(Path.Combine(fp32Folder, "model.onnx")).Length / 1e6, 1),
                ["int8_model_mb"] = Math.Round(new FileInfo(Path.Combine(int8Folder, "model.onnx")).Length / 1e6, 1),
                ["export_seconds"] = Math.Round(exportSeconds, 1),
                ["runs"] = Math.Min(fp32Runs, int8Runs),
                ["load_average_1m"] = LoadAverage(), // the machine is shared: other work on the 2 cores slows both figures
            };
        }
        finally
        {
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>
    /// Best wall seconds for one batch of 32 (tokenise, pad, run, softmax), and sentences per CPU-second over all
    /// runs: on a shared machine the wall figure shrinks with other people's load, the CPU figure much less
    /// (ONNX Runtime's spinning worker threads count as busy, so it errs low).
    /// </summary>
    private static (double Seconds, double PerCpuSecond, int Runs) Time(string folder, OnnxSentimentOptions options, string[] texts)
    {
        using var model = OnnxSentimentClassifier.Load(folder, options);
        var lengths = texts.Select(x => model.Tokenize(x).Length).Distinct().ToArray();
        if (lengths.Length != 1 || lengths[0] != Tokens) throw new InvalidOperationException($"expected every text at {Tokens} tokens, got {string.Join(",", lengths)}");
        var process = System.Diagnostics.Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var best = Measure.Best(() => model.ScoreMany(texts), TimeSpan.FromSeconds(8), warmups: 1);
        process.Refresh();
        var cpuSeconds = (process.TotalProcessorTime - cpuBefore).TotalSeconds;
        return (best.BestSeconds, texts.Length * (best.Runs + 1) / cpuSeconds, best.Runs);
    }

    internal static double LoadAverage() =>
        File.Exists("/proc/loadavg") && double.TryParse(File.ReadAllText("/proc/loadavg").Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture, out var load) ? load : double.NaN;

    /// <summary>Special tokens, single letters and their ## continuations, then filler entries up to the model's vocabulary size.</summary>
    private static string[] Vocabulary(int size)
    {
        var v = new List<string> { "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]" };
        for (var c = 'a'; c <= 'z'; c++) v.Add(c.ToString());
        for (var c = 'a'; c <= 'z'; c++) v.Add("##" + c);
        for (var c = '0'; c <= '9'; c++) { v.Add(c.ToString()); v.Add("##" + c); }
        while (v.Count < size) v.Add($"[unused{v.Count}]");
        return v.ToArray();
    }
}
