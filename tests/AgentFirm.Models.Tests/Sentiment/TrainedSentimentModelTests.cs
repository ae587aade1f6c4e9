using AgentFirm.Core;
using AgentFirm.Models.Sentiment;
using AgentFirm.TestSupport;

namespace AgentFirm.Models.Tests.Sentiment;

public sealed class TrainedSentimentModelTests
{
    /// <summary>A small synthetic corpus: tone words decide the label, filler words are shared noise.</summary>
    internal static List<(string Text, SentimentLabel Label)> Corpus(int perLabel, int seed)
    {
        var random = new Random(seed);
        string[] pos = ["profit rises", "record revenue", "shares surge", "strong growth", "beats forecasts", "upgrade to buy"];
        string[] neg = ["profit falls", "heavy losses", "shares plunge", "weak demand", "misses forecasts", "downgrade to sell"];
        string[] neu = ["annual meeting held", "board appoints director", "company relocates office", "report published", "trading update scheduled", "new ceo named"];
        string[] filler = ["the company said", "in the quarter", "according to the statement", "analysts noted", "on Tuesday", "in Helsinki"];
        var items = new List<(string, SentimentLabel)>();
        foreach (var (words, label) in new[] { (pos, SentimentLabel.Positive), (neg, SentimentLabel.Negative), (neu, SentimentLabel.Neutral) })
            for (var i = 0; i < perLabel; i++)
                items.Add(($"{filler[random.Next(filler.Length)]} {words[random.Next(words.Length)]} {filler[random.Next(filler.Length)]}", label));
        return items;
    }

    [Fact]
    public void Learns_a_separable_corpus_and_scores_signed_probabilities()
    {
        var model = TrainedSentimentModel.Train(Corpus(40, 1), new TrainingOptions(Iterations: 20));
        var test = Corpus(20, 2);
        var metrics = SentimentMetrics.Evaluate(model, test);
        Assert.True(metrics.Accuracy > 0.9, $"accuracy {metrics.Accuracy} {string.Join(",", metrics.Confusion.Cast<int>())}");
        var p = model.Probabilities("analysts noted shares surge on Tuesday");
        Assert.Equal(1, p.Negative + p.Neutral + p.Positive, 5);
        var s = model.Score("analysts noted shares surge on Tuesday");
        Assert.Equal(p.Positive - p.Negative, s.Score, 6);
        Assert.Equal(SentimentLabel.Positive, s.Label);
        Assert.Equal(SentimentLabel.Negative, model.Score("profit falls in the quarter").Label);
    }

    [Fact]
    public void Training_is_deterministic_and_a_saved_model_scores_the_same_after_loading()
    {
        using var folder = new TempFolder();
        var data = Corpus(30, 3);
        var a = TrainedSentimentModel.Train(data, new TrainingOptions(Seed: 7, Iterations: 10));
        var b = TrainedSentimentModel.Train(data, new TrainingOptions(Seed: 7, Iterations: 10));
        string[] texts = ["shares plunge on Tuesday", "board appoints director", "", new string('x', 100_000), "strong growth 🚀 HODL"];
        var sa = a.ScoreMany(texts);
        Assert.Equal(sa, b.ScoreMany(texts));
        a.Save(folder.Path);
        Assert.True(File.Exists(folder.File(TrainedSentimentModel.ModelFile)));
        Assert.Contains("\"labels\"", File.ReadAllText(folder.File(TrainedSentimentModel.MetadataFile)));
        var loaded = TrainedSentimentModel.Load(folder.Path);
        var sl = loaded.ScoreMany(texts);
        for (var i = 0; i < texts.Length; i++) Assert.Equal(sa[i].Score, sl[i].Score, 6);
        // batched and one-by-one agree
        for (var i = 0; i < texts.Length; i++) Assert.Equal(sl[i].Score, loaded.Score(texts[i]).Score, 6);
        Assert.Equal(30 * 3, loaded.Metadata.TrainingRows);
    }

    [Fact]
    public void Missing_or_corrupt_model_files_give_a_clear_error()
    {
        using var folder = new TempFolder();
        var missing = Assert.Throws<BadInputException>(() => TrainedSentimentModel.Load(folder.Path));
        Assert.Contains("model.zip", missing.Message);
        TrainedSentimentModel.Train(Corpus(10, 4), new TrainingOptions(Iterations: 5)).Save(folder.Path);
        File.WriteAllText(folder.File(TrainedSentimentModel.ModelFile), "not a zip");
        var corrupt = Assert.Throws<BadInputException>(() => TrainedSentimentModel.Load(folder.Path));
        Assert.Contains("not an ML.NET model", corrupt.Message);
        File.WriteAllText(folder.File(TrainedSentimentModel.MetadataFile), "{");
        Assert.Throws<BadInputException>(() => TrainedSentimentModel.Load(folder.Path));
    }

    [Fact]
    public void Training_needs_two_labels()
    {
        var one = Enumerable.Repeat(("shares surge", SentimentLabel.Positive), 10);
        Assert.Throws<BadInputException>(() => TrainedSentimentModel.Train(one));
    }
}

public sealed class SentimentMetricsTests
{
    [Fact]
    public void Accuracy_macro_f1_and_confusion_match_a_hand_computed_example()
    {
        // truth:     N N N N U U U P P P      (N negative, U neutral, P positive)
        // predicted: N N U P U U N P P U
        // confusion rows=true: N [2 1 1], U [1 2 0], P [0 1 2]; accuracy 6/10.
        // F1 = 2TP / (row + column): N 4/(4+3)=0.5714, U 4/(3+4)=0.5714, P 4/(3+3)=0.6667; macro 0.6032
        // (scikit-learn's f1_score(average="macro") gives the same on these vectors).
        var N = SentimentLabel.Negative; var U = SentimentLabel.Neutral; var P = SentimentLabel.Positive;
        var m = SentimentMetrics.From([N, N, N, N, U, U, U, P, P, P], [N, N, U, P, U, U, N, P, P, U]);
        Assert.Equal(0.6, m.Accuracy, 12);
        Assert.Equal((4.0 / 7 + 4.0 / 7 + 4.0 / 6) / 3, m.MacroF1, 12);
        Assert.Equal(new[,] { { 2, 1, 1 }, { 1, 2, 0 }, { 0, 1, 2 } }, m.Confusion);
        Assert.Equal(0.4, m.MajorityShare, 12);
    }

    [Fact]
    public void A_label_absent_from_truth_and_predictions_is_left_out_of_macro_f1()
    {
        var m = SentimentMetrics.From([SentimentLabel.Positive, SentimentLabel.Negative], [SentimentLabel.Positive, SentimentLabel.Negative]);
        Assert.Equal(1, m.MacroF1);
        Assert.True(double.IsNaN(m.F1[1]));
    }

    [Fact]
    public void The_holdout_split_is_seeded_and_disjoint()
    {
        var items = Enumerable.Range(0, 100).ToList();
        var (train, held) = HoldoutSplit.Split(items, 0.2, 5);
        Assert.Equal(20, held.Count);
        Assert.Empty(train.Intersect(held));
        Assert.Equal(held, HoldoutSplit.Split(items, 0.2, 5).Holdout);
        Assert.NotEqual(held, HoldoutSplit.Split(items, 0.2, 6).Holdout);
    }
}

public sealed class SentimentModelSpecTests
{
    [Theory]
    [InlineData("lexicon", SentimentModelKind.Lexicon, null)]
    [InlineData("", SentimentModelKind.Lexicon, null)]
    [InlineData("trained:models/s1", SentimentModelKind.Trained, "models/s1")]
    [InlineData("onnx:/opt/finbert", SentimentModelKind.Onnx, "/opt/finbert")]
    public void Parses_the_three_kinds(string spec, SentimentModelKind kind, string? path)
    {
        var s = SentimentModelSpec.Parse(spec);
        Assert.Equal(kind, s.Kind);
        Assert.Equal(path, s.Path);
    }

    [Theory]
    [InlineData("finbert")]
    [InlineData("trained:")]
    [InlineData("gpt:/x")]
    public void Rejects_unknown_specs(string spec) => Assert.Throws<BadInputException>(() => SentimentModelSpec.Parse(spec));

    [Fact]
    public void Onnx_models_load_through_the_runner_handed_in()
    {
        var spec = SentimentModelSpec.Parse("onnx:/models/finbert");
        var ex = Assert.Throws<BadInputException>(() => spec.Load());
        Assert.Contains("FinBERT runner", ex.Message);
        string? asked = null;
        var scorer = spec.Load(folder => { asked = folder; return new LexiconSentimentScorer(); });
        Assert.Equal("/models/finbert", asked);
        Assert.IsType<LexiconSentimentScorer>(scorer);
        Assert.IsType<LexiconSentimentScorer>(SentimentModelSpec.Lexicon.Load());
    }
}
