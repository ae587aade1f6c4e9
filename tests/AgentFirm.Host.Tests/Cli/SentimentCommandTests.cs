using System.Text;
using AgentFirm.Models.Sentiment.Onnx.Export;
using System.Text.Json;

namespace AgentFirm.Host.Tests.Cli;

public sealed class SentimentCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("agentfirm-sentiment-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string content)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, content, new UTF8Encoding(false));
        return path;
    }

    /// <summary>A labelled file in the shared schema where tone words decide the label.</summary>
    private string Labelled(string name, int perLabel)
    {
        var sb = new StringBuilder("timestamp,text,label,source\n");
        string[] pos = ["profit rises", "shares surge", "strong growth", "record revenue"];
        string[] neg = ["profit falls", "shares plunge", "weak demand", "heavy losses"];
        string[] neu = ["meeting held", "director appointed", "office relocated", "report published"];
        string[] filler = ["the company said", "in the quarter", "analysts noted", "on Tuesday"];
        for (var i = 0; i < perLabel; i++)
        {
            sb.Append($",\"{filler[i % 4]}, {pos[i % 4]} {filler[(i + 1) % 4]}\",positive,test\n");
            sb.Append($",{filler[(i + 2) % 4]} {neg[i % 4]} {filler[(i + 3) % 4]},negative,test\n");
            sb.Append($",{filler[(i + 1) % 4]} {neu[i % 4]} {filler[i % 4]},neutral,test\n");
        }
        return Write(name, sb.ToString());
    }

    [Fact]
    public async Task Score_keeps_the_input_columns_and_adds_score_and_label()
    {
        var input = Write("texts.csv", "id,text\n1,\"BTC rallies, ETF inflows surge 🚀\"\n2,Exchange hacked; BTC plunges\n3,\n");
        var output = Path.Combine(_dir, "scores.csv");
        var r = await CliRunner.RunAsync("sentiment", "score", "--input", input, "--model", "lexicon", "--out", output);
        Assert.Equal(0, r.ExitCode);
        var lines = File.ReadAllLines(output);
        Assert.Equal("id,text,score,label", lines[0]);
        Assert.StartsWith("1,\"BTC rallies, ETF inflows surge 🚀\",", lines[1]);
        Assert.EndsWith(",positive", lines[1]);
        Assert.EndsWith(",negative", lines[2]);
        Assert.Equal("3,,0,neutral", lines[3]);
    }

    [Fact]
    public async Task Score_without_a_text_column_is_exit_2_naming_the_file()
    {
        var input = Write("bad.csv", "id,body\n1,hello\n");
        var r = await CliRunner.RunAsync("sentiment", "score", "--input", input);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("bad.csv", r.Stderr);
        Assert.Contains("text", r.Stderr);
    }

    [Fact]
    public async Task Eval_prints_metrics_and_writes_json()
    {
        var input = Write("labelled.csv", "timestamp,text,label,source\n,BTC rallies to a record high,positive,t\n,BTC crashes after hack,negative,t\n,Board meeting on Tuesday,neutral,t\n,Shares plunge,positive,t\n");
        var json = Path.Combine(_dir, "m.json");
        var r = await CliRunner.RunAsync("sentiment", "eval", "--input", input, "--model", "lexicon", "--out", json);
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("accuracy  0.7500", r.Stdout);
        Assert.Contains("macro-F1", r.Stdout);
        Assert.Contains("confusion (rows: true, columns: predicted)", r.Stdout);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        Assert.Equal(0.75, doc.RootElement.GetProperty("accuracy").GetDouble(), 12);
        Assert.True(doc.RootElement.TryGetProperty("macro_f1", out _));
        var matrix = doc.RootElement.GetProperty("confusion").GetProperty("matrix");
        Assert.Equal(1, matrix[2][0].GetInt32()); // the positive-labelled "Shares plunge" predicted negative
        Assert.Equal(4, matrix.EnumerateArray().Sum(row => row.EnumerateArray().Sum(c => c.GetInt32())));
    }

    [Fact]
    public async Task An_unknown_label_is_exit_2_naming_the_row()
    {
        var input = Write("labels.csv", "text,label\nfine,positive\nhmm,bullish\n");
        var r = await CliRunner.RunAsync("sentiment", "eval", "--input", input);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("labels.csv", r.Stderr);
        Assert.Contains("row 3", r.Stderr);
        Assert.Contains("bullish", r.Stderr);
    }

    [Fact]
    public async Task Train_then_score_and_eval_with_the_trained_model()
    {
        var data = Labelled("train.csv", 30);
        var model = Path.Combine(_dir, "model");
        var r = await CliRunner.RunAsync("sentiment", "train", "--data", data, "--out", model, "--seed", "3", "--holdout", "0.2", "--iterations", "20");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("training on 72, holding out 18", r.Stderr);
        Assert.Contains("held-out", r.Stdout);
        Assert.True(File.Exists(Path.Combine(model, "model.zip")));

        var scored = Path.Combine(_dir, "scored.csv");
        Assert.Equal(0, (await CliRunner.RunAsync("sentiment", "score", "--input", data, "--model", $"trained:{model}", "--out", scored)).ExitCode);
        var lines = File.ReadAllLines(scored);
        Assert.Equal("timestamp,text,label,source,predicted_score,predicted_label,p_negative,p_neutral,p_positive", lines[0]);

        var eval = await CliRunner.RunAsync("sentiment", "eval", "--input", data, "--model", $"trained:{model}", "--holdout", "0.2", "--seed", "3");
        Assert.Equal(0, eval.ExitCode);
        Assert.Contains("texts     18", eval.Stdout);
        Assert.Contains("accuracy  1.0000", eval.Stdout);
    }

    [Fact]
    public async Task A_missing_trained_model_is_exit_2()
    {
        var input = Write("t.csv", "text\nhello\n");
        var r = await CliRunner.RunAsync("sentiment", "score", "--input", input, "--model", $"trained:{Path.Combine(_dir, "nope")}");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("model.zip", r.Stderr);
    }

    [Fact]
    public async Task Score_with_the_pipeline_says_which_rows_were_kept_and_why_others_were_dropped()
    {
        var input = Write("posts.csv",
            "timestamp,author,text,likes,followers\n" +
            "2024-03-01T10:00:00Z,alice,BTC rallies as ETF inflows surge,999,5000\n" +
            "2024-03-01T10:05:00Z,bob,BTC rallies as ETF inflows surge!,3,800\n" +
            "2024-03-01T10:06:00Z,carol,win free BTC https://scam.example,0,900\n" +
            "2024-03-01T10:07:00Z,dave,Elon Musk says BTC is the future,10,2\n" +
            "2024-03-01T10:08:00Z,erin,Elon Musk says BTC is the future of money,10,700\n");
        var output = Path.Combine(_dir, "screened.csv");
        var r = await CliRunner.RunAsync("sentiment", "score", "--input", input, "--pipeline", "--out", output);
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("pipeline: in=5 kept=2", r.Stderr);
        var lines = File.ReadAllLines(output);
        Assert.EndsWith("kept,drop_reason,weight,pipeline_score,note", lines[0]);
        Assert.Contains(",true,,4,", lines[1]);             // 999 likes: weight at the cap
        Assert.Contains(",false,ExactDuplicate,,,", lines[2]);
        Assert.Contains(",false,LinkSpam,,,", lines[3]);
        Assert.Contains(",false,FewFollowers,,,", lines[4]);
        Assert.EndsWith(",true,,2.041393,0,neutralised: mentions Elon Musk", lines[5]); // 1 + log10(11)
    }

    [Fact]
    public async Task A_bad_engagement_number_is_exit_2_naming_row_and_field()
    {
        var input = Write("eng.csv", "text,likes\nBTC up,12\nBTC down,lots\n");
        var r = await CliRunner.RunAsync("sentiment", "score", "--input", input, "--pipeline");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("row 3", r.Stderr);
        Assert.Contains("likes", r.Stderr);
    }

    /// <summary>A tiny random BERT classifier (2 layers, hidden 32) written by the FinBERT runner's own exporter; labels in FinBERT's order.</summary>
    private string TinyOnnxModel()
    {
        var vocabulary = new List<string> { "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "bitcoin", "rally", "crash", "moon", "dump", "market", "up", "down" };
        for (var c = 'a'; c <= 'z'; c++) vocabulary.Add(c.ToString());
        for (var c = 'a'; c <= 'z'; c++) vocabulary.Add("##" + c);
        var spec = new BertClassifierSpec { VocabSize = vocabulary.Count, Hidden = 32, Layers = 2, Heads = 2, Intermediate = 64, MaxPositions = 64, Labels = 3 };
        var folder = Path.Combine(_dir, "finbert");
        BertOnnxExporter.WriteModelFolder(folder, BertWeights.Random(spec, 7, std: 0.2f), vocabulary, ["positive", "negative", "neutral"], true, WeightPrecision.Float32);
        return folder;
    }

    [Fact]
    public async Task Score_and_eval_run_an_onnx_model_through_the_finbert_runner()
    {
        var model = TinyOnnxModel();
        var input = Write("texts.csv", "text,label\nbitcoin rally to the moon,positive\nmarket crash,negative\n,neutral\n");
        var output = Path.Combine(_dir, "onnx-scores.csv");
        var r = await CliRunner.RunAsync("sentiment", "score", "--input", input, "--model", $"onnx:{model}", "--out", output);
        Assert.True(r.ExitCode == 0, r.Stderr);
        var lines = File.ReadAllLines(output);
        Assert.Equal("text,label,predicted_score,predicted_label,p_negative,p_neutral,p_positive", lines[0]);
        foreach (var line in lines.Skip(1))
        {
            var f = line.Split(',');
            double pNeg = double.Parse(f[^3], System.Globalization.CultureInfo.InvariantCulture), pNeu = double.Parse(f[^2], System.Globalization.CultureInfo.InvariantCulture),
                pPos = double.Parse(f[^1], System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(1, pNeg + pNeu + pPos, 4);
            Assert.Equal(pPos - pNeg, double.Parse(f[^5], System.Globalization.CultureInfo.InvariantCulture), 4); // signed score from the probabilities in the right slots
        }
        var eval = await CliRunner.RunAsync("sentiment", "eval", "--input", input, "--model", $"onnx:{model}");
        Assert.True(eval.ExitCode == 0, eval.Stderr);
        Assert.Contains("texts     3", eval.Stdout);
    }

    [Fact]
    public async Task A_missing_onnx_model_is_exit_2_naming_the_folder()
    {
        var input = Write("t2.csv", "text\nhello\n");
        var r = await CliRunner.RunAsync("sentiment", "score", "--input", input, "--model", $"onnx:{Path.Combine(_dir, "no-model")}");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("no-model", r.Stderr);
    }
}
