using AgentFirm.Market.Data;
using AgentFirm.Models.Sentiment;
using AgentFirm.TestSupport;
using Xunit.Abstractions;

namespace AgentFirm.Models.Tests.Sentiment;

/// <summary>
/// The lexicon and the trained model on the labelled text in ../shared/data/text (Financial PhraseBank and
/// finance tweets): trained on an 80% split of both files, measured on the held-out 20% (seed 1), which is
/// what `agentfirm sentiment train --data A --data B --holdout 0.2 --seed 1` and
/// `agentfirm sentiment eval --input A --input B --holdout 0.2 --seed 1 --model ...` do.
/// </summary>
public sealed class RealTextEvaluationTests(ITestOutputHelper output)
{
    [SkippableFact]
    public void Trained_model_clearly_beats_the_majority_class_and_the_lexicon_on_held_out_text()
    {
        var phrasebank = SharedData.RequireFile("text/financial_phrasebank.csv");
        var tweets = SharedData.RequireFile("text/twitter_financial_news_sentiment.csv");
        var items = new[] { phrasebank, tweets }.SelectMany(LabeledTextCsv.Load).Select(r => (r.Text, SentimentMetrics.ParseLabel(r.Label))).ToList();
        var (train, held) = HoldoutSplit.Split(items, 0.2, 1);

        var lexicon = SentimentMetrics.Evaluate(new LexiconSentimentScorer(), held);
        var started = System.Diagnostics.Stopwatch.StartNew();
        var model = TrainedSentimentModel.Train(train, new TrainingOptions(Seed: 1, Iterations: 30));
        output.WriteLine($"trained in {started.Elapsed.TotalSeconds:0.0} s");
        var trained = SentimentMetrics.Evaluate(model, held);
        output.WriteLine($"held-out {held.Count}: majority {lexicon.MajorityShare:0.0000}; lexicon acc {lexicon.Accuracy:0.0000} macro-F1 {lexicon.MacroF1:0.0000}; trained acc {trained.Accuracy:0.0000} macro-F1 {trained.MacroF1:0.0000}");

        Assert.True(trained.Accuracy > lexicon.MajorityShare + 0.1, $"trained accuracy {trained.Accuracy:0.000} vs majority {lexicon.MajorityShare:0.000}");
        Assert.True(trained.MacroF1 > 0.6, $"trained macro-F1 {trained.MacroF1:0.000}");
        Assert.True(trained.MacroF1 > lexicon.MacroF1, $"trained {trained.MacroF1:0.000} vs lexicon {lexicon.MacroF1:0.000}");
        Assert.True(lexicon.MacroF1 > 0.4, $"lexicon macro-F1 {lexicon.MacroF1:0.000}: the lexicon should read finance text better than chance (1/3)");
    }
}
