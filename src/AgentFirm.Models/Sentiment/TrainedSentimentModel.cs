using System.Text.Json;
using System.Text.Json.Serialization;
using AgentFirm.Core;
using AgentFirm.Models.Sentiment.Text;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Transforms.Text;

namespace AgentFirm.Models.Sentiment;

/// <summary>Probabilities per label, for scorers that have them.</summary>
public readonly record struct SentimentProbabilities(double Negative, double Neutral, double Positive);

/// <summary>A scorer that can also say how sure it is about each label (trained model, FinBERT).</summary>
public interface IProbabilisticSentimentScorer : ISentimentScorer
{
    IReadOnlyList<SentimentProbabilities> ProbabilitiesMany(IReadOnlyList<string> texts);
}

/// <param name="Seed">ML.NET's seed; with one training thread the model is the same bit for bit.</param>
/// <param name="WordNgrams">Longest word n-gram (all shorter ones are used too).</param>
/// <param name="CharNgrams">Character n-gram length (captures slang spellings and word pieces).</param>
/// <param name="Iterations">Most L-BFGS iterations.</param>
/// <param name="L2">L2 regularisation weight.</param>
/// <param name="DecodeSlang">Normalise texts (links, cashtags, emojis) and decode crypto slang before featurising, at training and scoring alike.</param>
public sealed record TrainingOptions(int Seed = 1, int WordNgrams = 2, int CharNgrams = 4, int Iterations = 100, float L2 = 1e-4f, bool DecodeSlang = true)
{
    public void Validate()
    {
        if (WordNgrams is < 1 or > 4) throw new BadInputException($"Word n-grams must be 1 to 4, got {WordNgrams}.");
        if (CharNgrams is < 1 or > 6) throw new BadInputException($"Character n-grams must be 1 to 6, got {CharNgrams}.");
        if (Iterations is < 1 or > 1000) throw new BadInputException($"Iterations must be 1 to 1000, got {Iterations}.");
        if (!(L2 >= 0) || !float.IsFinite(L2)) throw new BadInputException($"L2 must be >= 0, got {L2}.");
    }
}

/// <summary>What is saved beside the ML.NET zip: how the model was made and how to read its scores.</summary>
public sealed record TrainedModelMetadata(
    [property: JsonPropertyName("format")] int Format,
    [property: JsonPropertyName("labels")] IReadOnlyList<string> Labels,
    [property: JsonPropertyName("options")] TrainingOptions Options,
    [property: JsonPropertyName("training_rows")] int TrainingRows,
    [property: JsonPropertyName("label_counts")] IReadOnlyDictionary<string, int> LabelCounts);

/// <summary>
/// A fast trainable sentiment model: ML.NET text featurisation (lower-cased word 1..n-grams and character
/// n-grams, L2-normalised) and a linear multinomial logistic regression (maximum entropy) fitted by L-BFGS.
/// Signed score = p(positive) - p(negative); the label is the most probable one. Saved as a folder with
/// model.zip (ML.NET) and model.json (metadata). Scoring is serialised by a lock (ML.NET's prediction
/// engine is single-threaded); batches go through one transform.
/// </summary>
public sealed class TrainedSentimentModel : IProbabilisticSentimentScorer
{
    public const string ModelFile = "model.zip";
    public const string MetadataFile = "model.json";
    private const int FormatVersion = 1;
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    private readonly MLContext _ml;
    private readonly ITransformer _model;
    private readonly TextNormaliser _normaliser;
    private readonly PredictionEngine<TextRow, ScoreRow> _engine;
    private readonly Lock _gate = new();

    private TrainedSentimentModel(MLContext ml, ITransformer model, TrainedModelMetadata metadata)
    {
        _ml = ml;
        _model = model;
        Metadata = metadata;
        _normaliser = new TextNormaliser(new TextNormaliserOptions(DecodeSlang: metadata.Options.DecodeSlang));
        _engine = ml.Model.CreatePredictionEngine<TextRow, ScoreRow>(model);
        _slotOf = [.. LabelNames.Select(l => metadata.Labels.ToList().IndexOf(l))];
    }

    /// <summary>Score slot of negative, neutral, positive (-1: the model never saw that label).</summary>
    private readonly int[] _slotOf;

    public TrainedModelMetadata Metadata { get; }

    public static TrainedSentimentModel Train(IEnumerable<(string Text, SentimentLabel Label)> examples, TrainingOptions? options = null, IProgress<string>? progress = null)
    {
        var o = options ?? new TrainingOptions();
        o.Validate();
        var normaliser = new TextNormaliser(new TextNormaliserOptions(DecodeSlang: o.DecodeSlang));
        var rows = examples.Select(e => new TextRow { Text = normaliser.Normalise(e.Text).Text, Label = LabelName(e.Label) }).ToList();
        if (rows.Count < 3) throw new BadInputException($"Training needs at least 3 labelled texts, got {rows.Count}.");
        var counts = SentimentMetrics.Order.ToDictionary(LabelName, l => rows.Count(r => r.Label == LabelName(l)));
        if (counts.Count(c => c.Value > 0) < 2) throw new BadInputException("Training needs texts of at least two different labels.");

        var ml = new MLContext(o.Seed);
        var data = ml.Data.LoadFromEnumerable(rows);
        var featurise = new TextFeaturizingEstimator.Options
        {
            CaseMode = TextNormalizingEstimator.CaseMode.Lower,
            KeepDiacritics = false,
            KeepPunctuations = false,
            KeepNumbers = true,
            WordFeatureExtractor = new WordBagEstimator.Options { NgramLength = o.WordNgrams, UseAllLengths = true },
            CharFeatureExtractor = new WordBagEstimator.Options { NgramLength = o.CharNgrams, UseAllLengths = false },
            Norm = TextFeaturizingEstimator.NormFunction.L2,
        };
        var trainer = new LbfgsMaximumEntropyMulticlassTrainer.Options
        {
            LabelColumnName = nameof(TextRow.Label),
            FeatureColumnName = "Features",
            NumberOfThreads = 1, // one thread: the same data and seed give the same model
            MaximumNumberOfIterations = o.Iterations,
            L2Regularization = o.L2,
            L1Regularization = 0,
        };
        // Keys by value order; the score slots are read back by name below, so no order is assumed.
        var pipeline = ml.Transforms.Conversion.MapValueToKey(nameof(TextRow.Label), keyOrdinality: Microsoft.ML.Transforms.ValueToKeyMappingEstimator.KeyOrdinality.ByValue)
            .Append(ml.Transforms.Text.FeaturizeText("Features", featurise, nameof(TextRow.Text)))
            .Append(ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(trainer));
        progress?.Report($"featurising and fitting {rows.Count} texts (word 1-{o.WordNgrams}-grams, char {o.CharNgrams}-grams, L-BFGS up to {o.Iterations} iterations)");
        var model = pipeline.Fit(data);
        progress?.Report("fitted");
        var slots = ScoreSlots(ml, model);
        return new TrainedSentimentModel(ml, model, new TrainedModelMetadata(FormatVersion, slots, o, rows.Count, counts));
    }

    /// <summary>Writes model.zip and model.json into <paramref name="folder"/> (created if needed).</summary>
    public void Save(string folder)
    {
        Directory.CreateDirectory(folder);
        var schema = _ml.Data.LoadFromEnumerable(Array.Empty<TextRow>()).Schema;
        var zip = Path.Combine(folder, ModelFile);
        var temp = zip + ".tmp";
        _ml.Model.Save(_model, schema, temp);
        File.Move(temp, zip, overwrite: true);
        File.WriteAllText(Path.Combine(folder, MetadataFile), JsonSerializer.Serialize(Metadata, Json));
    }

    /// <summary>Loads a folder written by <see cref="Save"/>; a missing or corrupt file is a BadInputException naming it.</summary>
    public static TrainedSentimentModel Load(string folder)
    {
        var zip = Path.Combine(folder, ModelFile);
        var json = Path.Combine(folder, MetadataFile);
        foreach (var path in new[] { zip, json })
            if (!File.Exists(path)) throw new BadInputException(Path.GetFileName(path), 0, "file", $"trained model file '{path}' does not exist (train one with `agentfirm sentiment train`)");
        TrainedModelMetadata metadata;
        try
        {
            metadata = JsonSerializer.Deserialize<TrainedModelMetadata>(File.ReadAllText(json), Json) ?? throw new JsonException("empty");
        }
        catch (JsonException e)
        {
            throw new BadInputException(MetadataFile, 0, "json", $"'{json}' is not trained-model metadata: {e.Message}");
        }
        if (metadata.Format != FormatVersion || metadata.Labels is null || metadata.Labels.Count < 2 || metadata.Labels.Any(l => !LabelNames.Contains(l)) || metadata.Options is null)
            throw new BadInputException(MetadataFile, 0, "format", $"'{json}' has format {metadata.Format} or labels this version cannot read");
        var ml = new MLContext(metadata.Options.Seed);
        ITransformer model;
        try
        {
            model = ml.Model.Load(zip, out _);
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or InvalidOperationException or IOException or ArgumentException)
        {
            throw new BadInputException(ModelFile, 0, "zip", $"'{zip}' is not an ML.NET model: {e.Message}");
        }
        var slots = ScoreSlots(ml, model);
        if (!slots.SequenceEqual(metadata.Labels))
            throw new BadInputException(MetadataFile, 0, "labels", $"'{json}' lists labels {string.Join(",", metadata.Labels)} but the model scores {string.Join(",", slots)}");
        return new TrainedSentimentModel(ml, model, metadata);
    }

    private static readonly string[] LabelNames = ["negative", "neutral", "positive"];

    private static string LabelName(SentimentLabel label) => LabelNames[(int)label];

    /// <summary>The label of each score slot, as the trained key mapping named them.</summary>
    private static IReadOnlyList<string> ScoreSlots(MLContext ml, ITransformer model)
    {
        var schema = model.GetOutputSchema(ml.Data.LoadFromEnumerable(Array.Empty<TextRow>()).Schema);
        VBuffer<ReadOnlyMemory<char>> names = default;
        schema["Score"].GetSlotNames(ref names);
        return names.DenseValues().Select(n => n.ToString()).ToArray();
    }

    public SentimentScore Score(ReadOnlySpan<char> text) => ToScore(Probabilities(text.ToString()));

    public IReadOnlyList<SentimentScore> ScoreMany(IReadOnlyList<string> texts) => ProbabilitiesMany(texts).Select(ToScore).ToArray();

    public SentimentProbabilities Probabilities(string text)
    {
        var row = new TextRow { Text = _normaliser.Normalise(text).Text };
        lock (_gate) return ToProbabilities(_engine.Predict(row).Score);
    }

    public IReadOnlyList<SentimentProbabilities> ProbabilitiesMany(IReadOnlyList<string> texts)
    {
        if (texts.Count == 0) return [];
        var rows = texts.Select(t => new TextRow { Text = _normaliser.Normalise(t).Text }).ToList();
        lock (_gate)
        {
            var scored = _model.Transform(_ml.Data.LoadFromEnumerable(rows));
            return _ml.Data.CreateEnumerable<ScoreRow>(scored, reuseRowObject: false).Select(r => ToProbabilities(r.Score)).ToArray();
        }
    }

    private SentimentProbabilities ToProbabilities(float[] score)
    {
        double At(int label) => _slotOf[label] >= 0 && _slotOf[label] < score.Length ? score[_slotOf[label]] : 0;
        return new SentimentProbabilities(At(0), At(1), At(2));
    }

    internal static SentimentScore ToScore(SentimentProbabilities p)
    {
        var label = p.Positive >= p.Neutral && p.Positive >= p.Negative ? SentimentLabel.Positive
            : p.Negative >= p.Neutral ? SentimentLabel.Negative : SentimentLabel.Neutral;
        return new SentimentScore(Math.Clamp(p.Positive - p.Negative, -1, 1), label);
    }

    internal sealed class TextRow
    {
        public string Text { get; set; } = "";

        public string Label { get; set; } = "";
    }

    internal sealed class ScoreRow
    {
        [ColumnName("Score")]
        public float[] Score { get; set; } = [];
    }
}
