using AgentFirm.Core;
using AgentFirm.Models.Sentiment;
using AgentFirm.Models.Sentiment.Onnx;
using AgentFirm.Models.Sentiment.Onnx.Export;
using AgentFirm.TestSupport;
using Microsoft.Extensions.Logging;

namespace AgentFirm.Models.Onnx.Tests;

public sealed class OnnxSentimentClassifierTests : IDisposable
{
    private readonly TempFolder _temp = new();
    private readonly BertWeights _weights = TinyBert.Weights();

    public void Dispose() => _temp.Dispose();

    private OnnxSentimentClassifier Load(string folder, int batchSize = 32, int maxTokens = 128) =>
        OnnxSentimentClassifier.Load(folder, new OnnxSentimentOptions { ExecutionProvider = "cpu", BatchSize = batchSize, MaxTokens = maxTokens, IntraOpThreads = 1 });

    private string Folder(string name, BertWeights? weights = null, string[]? labels = null, bool lowerCase = true, WeightPrecision precision = WeightPrecision.Float32) =>
        TinyBert.Write(_temp.File(name), weights ?? _weights, labels, lowerCase, precision);

    [Fact]
    public void Tokenizer_wraps_text_in_cls_and_sep_and_lower_cases_when_config_says_so()
    {
        using var model = Load(Folder("lower"));
        int cls = TinyBert.Id("[CLS]"), sep = TinyBert.Id("[SEP]");
        Assert.Equal([cls, TinyBert.Id("bitcoin"), TinyBert.Id("price"), TinyBert.Id("rally"), TinyBert.Id("!"), sep], model.Tokenize("Bitcoin PRICE rally!"));
        // WordPiece: "rallying" is not in the vocabulary, "rally" + "##ing" is.
        Assert.Equal([cls, TinyBert.Id("rally"), TinyBert.Id("##ing"), sep], model.Tokenize("rallying"));
        Assert.Equal([cls, sep], model.Tokenize(""));

        using var cased = Load(Folder("cased", lowerCase: false));
        // Cased: "Bitcoin" is its own token and "PRICE" has no pieces in this vocabulary, so it is [UNK].
        Assert.Equal([cls, TinyBert.Id("Bitcoin"), TinyBert.Id("[UNK]"), sep], cased.Tokenize("Bitcoin PRICE"));

        // transformers writes do_lower_case to tokenizer_config.json; it wins over config.json.
        var folder = Folder("tokenizer-config");
        File.WriteAllText(Path.Combine(folder, "tokenizer_config.json"), "{ \"do_lower_case\": false }");
        using var fromTokenizerConfig = Load(folder);
        Assert.Equal([cls, TinyBert.Id("Bitcoin"), TinyBert.Id("[UNK]"), sep], fromTokenizerConfig.Tokenize("Bitcoin PRICE"));
    }

    [Fact]
    public void Tokenizer_truncates_to_max_tokens_keeping_cls_and_sep()
    {
        using var model = Load(Folder("trunc"), maxTokens: 6);
        var ids = model.Tokenize("the bull market is up to the moon");
        Assert.Equal([TinyBert.Id("[CLS]"), TinyBert.Id("the"), TinyBert.Id("bull"), TinyBert.Id("market"), TinyBert.Id("is"), TinyBert.Id("[SEP]")], ids);
        // As transformers does, the cut may fall inside a word: "rallying" is rally + ##ing.
        using var three = Load(Folder("trunc3"), maxTokens: 3);
        Assert.Equal([TinyBert.Id("[CLS]"), TinyBert.Id("rally"), TinyBert.Id("[SEP]")], three.Tokenize("rallying bitcoin"));
    }

    [Fact]
    public void Max_tokens_is_capped_by_the_models_position_table()
    {
        using var model = Load(Folder("cap"), maxTokens: 100_000);
        Assert.Equal(128, model.MaxTokens);
        Assert.Equal(128, model.Tokenize(new string('a', 1000).Replace("a", "a ")).Length);
    }

    [Fact]
    public void Output_matches_an_independent_forward_pass()
    {
        using var model = Load(Folder("ref"), batchSize: 5);
        var texts = TinyBert.Headlines;
        var probabilities = model.Probabilities(texts); // batched and padded: texts have different lengths
        for (var i = 0; i < texts.Length; i++)
        {
            var expected = ReferenceBert.Probabilities(_weights, model.Tokenize(texts[i]));
            for (var l = 0; l < 3; l++) Assert.True(Math.Abs(expected[l] - probabilities[i][l]) < 1e-4, $"text {i} label {l}: reference {expected[l]}, onnx {probabilities[i][l]}");
        }
        // The random classifier must actually tell texts apart, or the comparison above proves little.
        Assert.True(probabilities.Max(p => p[0]) - probabilities.Min(p => p[0]) > 0.05);
    }

    [Fact]
    public void A_model_without_token_type_ids_input_matches_the_reference_too()
    {
        var weights = TinyBert.Weights(seed: 11, tokenTypes: false);
        using var model = Load(Folder("notypes", weights));
        Assert.False(model.UsesTokenTypeIds);
        var p = model.Probabilities(["bitcoin price crash", "moon"]);
        var expected = ReferenceBert.Probabilities(weights, model.Tokenize("bitcoin price crash"));
        for (var l = 0; l < 3; l++) Assert.Equal(expected[l], p[0][l], 1e-4);
    }

    [Fact]
    public void Batched_scores_equal_one_at_a_time_scores_in_input_order()
    {
        var texts = Enumerable.Range(0, 40).Select(i => TinyBert.Headlines[i % TinyBert.Headlines.Length] + new string('!', i % 5)).ToArray();
        using var batched = Load(Folder("batch"), batchSize: 7);
        var many = batched.ScoreMany(texts);
        for (var i = 0; i < texts.Length; i++)
        {
            var single = batched.Score(texts[i]);
            Assert.Equal(single.Score, many[i].Score, 1e-5);
            Assert.Equal(single.Label, many[i].Label);
        }
    }

    [Fact]
    public void Padding_does_not_change_a_sentences_score()
    {
        using var model = Load(Folder("pad"), batchSize: 2);
        var alone = model.Probabilities(["market crash"])[0];
        var padded = model.Probabilities(["market crash", string.Join(' ', Enumerable.Repeat("bitcoin price rally to the moon", 10))])[0];
        for (var l = 0; l < 3; l++) Assert.Equal(alone[l], padded[l], 1e-5);
    }

    [Fact]
    public void Label_order_is_read_from_config_so_swapping_id2label_swaps_the_score()
    {
        using var prosus = Load(Folder("prosus", labels: ["positive", "negative", "neutral"]));
        using var swapped = Load(Folder("swapped", labels: ["NEGATIVE", "Positive", "neutral"]));
        Assert.Equal(["NEGATIVE", "Positive", "neutral"], swapped.Labels);
        var a = prosus.ScoreMany(TinyBert.Headlines);
        var b = swapped.ScoreMany(TinyBert.Headlines);
        Assert.Contains(a, s => Math.Abs(s.Score) > 0.01);
        for (var i = 0; i < a.Count; i++)
        {
            Assert.Equal(a[i].Score, -b[i].Score, 1e-6);
            var flipped = a[i].Label switch { SentimentLabel.Positive => SentimentLabel.Negative, SentimentLabel.Negative => SentimentLabel.Positive, _ => SentimentLabel.Neutral };
            Assert.Equal(flipped, b[i].Label);
        }
    }

    [Fact]
    public void Signed_score_is_p_positive_minus_p_negative_and_label_is_the_most_probable()
    {
        using var model = Load(Folder("finbert-tone", labels: ["neutral", "positive", "negative"])); // yiyanghkust/finbert-tone's order
        var p = model.Probabilities(TinyBert.Headlines);
        var s = model.ScoreMany(TinyBert.Headlines);
        for (var i = 0; i < p.Count; i++)
        {
            Assert.Equal(p[i][1] - (double)p[i][2], s[i].Score, 1e-6);
            Assert.InRange(s[i].Score, -1, 1);
            var best = Array.IndexOf(p[i], p[i].Max());
            Assert.Equal(best switch { 0 => SentimentLabel.Neutral, 1 => SentimentLabel.Positive, _ => SentimentLabel.Negative }, s[i].Label);
        }
    }

    [Fact]
    public void Empty_and_100k_character_texts_are_scored_with_truncation()
    {
        using var model = Load(Folder("long"), maxTokens: 64);
        var huge = string.Concat(Enumerable.Repeat("bitcoin price rally ", 5_000)); // 100,000 characters
        Assert.Equal(100_000, huge.Length);
        var texts = new[] { "", huge, "market crash", new string('x', 100_000) };
        var scores = model.ScoreMany(texts);
        Assert.All(scores, s => Assert.True(double.IsFinite(s.Score)));
        Assert.Equal(64, model.Tokenize(huge).Length);
        // Truncation keeps the first 62 word pieces: the huge text scores as its own first 62 tokens do.
        var head = string.Concat(Enumerable.Repeat("bitcoin price rally ", 21)).Trim(); // 63 words, truncated to 62 as well
        Assert.Equal(model.Score(head).Score, scores[1].Score, 1e-5);
    }

    [Fact]
    public void Missing_folder_or_model_file_names_the_path()
    {
        var missingFolder = _temp.File("nowhere");
        var e1 = Assert.Throws<ModelLoadException>(() => Load(missingFolder));
        Assert.Contains(missingFolder, e1.Message);

        var folder = Folder("nomodel");
        File.Delete(Path.Combine(folder, "model.onnx"));
        var e2 = Assert.Throws<ModelLoadException>(() => Load(folder));
        Assert.Contains(Path.Combine(folder, "model.onnx"), e2.Message);
        Assert.IsAssignableFrom<BadInputException>(e2); // the CLI maps it to exit code 2

        var novocab = Folder("novocab");
        File.Delete(Path.Combine(novocab, "vocab.txt"));
        Assert.Contains(Path.Combine(novocab, "vocab.txt"), Assert.Throws<ModelLoadException>(() => Load(novocab)).Message);
    }

    [Fact]
    public void Corrupt_model_file_gives_a_clear_error_naming_the_path()
    {
        var folder = Folder("corrupt");
        var path = Path.Combine(folder, "model.onnx");
        var garbage = new byte[4096];
        new Random(3).NextBytes(garbage);
        File.WriteAllBytes(path, garbage);
        var e = Assert.Throws<ModelLoadException>(() => Load(folder));
        Assert.Contains(path, e.Message);
        Assert.Contains("ONNX Runtime cannot load it", e.Message);
    }

    [Fact]
    public void Config_without_id2label_or_without_sentiment_labels_is_rejected()
    {
        var folder = Folder("generic", labels: ["LABEL_0", "LABEL_1", "LABEL_2"]);
        var e = Assert.Throws<ModelLoadException>(() => Load(folder));
        Assert.Contains("config.json", e.Message);
        Assert.Contains("LABEL_0", e.Message);

        // An explicit LabelOrder is the way out for such exports.
        using var model = OnnxSentimentClassifier.Load(folder, new OnnxSentimentOptions { ExecutionProvider = "cpu", LabelOrder = "negative, neutral, positive" });
        Assert.Equal(["negative", "neutral", "positive"], model.Labels);

        File.WriteAllText(Path.Combine(folder, "config.json"), "{ \"model_type\": \"bert\" }");
        Assert.Contains("id2label", Assert.Throws<ModelLoadException>(() => Load(folder)).Message);
        File.Delete(Path.Combine(folder, "config.json"));
        Assert.Contains("config.json", Assert.Throws<ModelLoadException>(() => Load(folder)).Message);
    }

    [Fact]
    public void Cuda_request_falls_back_to_cpu_with_a_reason()
    {
        var folder = Folder("cuda");
        var log = new ListLogger();
        using var model = OnnxSentimentClassifier.Load(folder, new OnnxSentimentOptions { ExecutionProvider = "cuda" }, log);
        Assert.Equal("cpu", model.ExecutionProvider); // the CPU onnxruntime package is the only one on this mirror
        Assert.Contains(model.Diagnostics, d => d.Contains("running on CPU because", StringComparison.Ordinal));
        Assert.Contains(log.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("CUDA", StringComparison.Ordinal));

        var autoLog = new ListLogger();
        using var auto = OnnxSentimentClassifier.Load(folder, new OnnxSentimentOptions { ExecutionProvider = "auto" }, autoLog);
        Assert.Equal("cpu", auto.ExecutionProvider);
        Assert.Contains(autoLog.Entries, e => e.Level == LogLevel.Information && e.Message.Contains("running on CPU because", StringComparison.Ordinal));
        using var cpu = OnnxSentimentClassifier.Load(folder, new OnnxSentimentOptions { ExecutionProvider = "cpu" });
        Assert.Empty(cpu.Diagnostics);
        Assert.Equal(cpu.Score("bitcoin").Score, model.Score("bitcoin").Score, 1e-6);
    }

    [Fact]
    public void Int8_model_stays_close_to_fp32()
    {
        using var fp32 = Load(Folder("fp32"));
        using var int8 = Load(Folder("int8", precision: WeightPrecision.DynamicInt8));
        var texts = Enumerable.Range(0, 60).Select(i => TinyBert.Headlines[i % TinyBert.Headlines.Length] + " " + TinyBert.Vocabulary[5 + i % 20]).ToArray();
        var a = fp32.ScoreMany(texts).Select(s => s.Score).ToArray();
        var b = int8.ScoreMany(texts).Select(s => s.Score).ToArray();
        var maxDiff = a.Zip(b, (x, y) => Math.Abs(x - y)).Max();
        Assert.True(maxDiff < 0.05, $"max |int8 - fp32| = {maxDiff}");
        Assert.True(Correlation(a, b) > 0.98, $"correlation {Correlation(a, b)}");
        Assert.True(maxDiff > 0, "int8 scores identical to fp32: the quantised graph is not being used");
        Assert.True(new FileInfo(Path.Combine(_temp.File("int8"), "model.onnx")).Length < new FileInfo(Path.Combine(_temp.File("fp32"), "model.onnx")).Length);
    }

    private static double Correlation(double[] a, double[] b)
    {
        double ma = a.Average(), mb = b.Average();
        double sab = 0, saa = 0, sbb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            sab += (a[i] - ma) * (b[i] - mb);
            saa += (a[i] - ma) * (a[i] - ma);
            sbb += (b[i] - mb) * (b[i] - mb);
        }
        return sab / Math.Sqrt(saa * sbb);
    }
}

internal sealed class ListLogger : ILogger
{
    public List<(LogLevel Level, string Message)> Entries { get; } = [];

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Entries.Add((logLevel, formatter(state, exception)));
}
