using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using AgentFirm.Core;
using AgentFirm.Market.Data;
using AgentFirm.Models.Sentiment;
using AgentFirm.Models.Sentiment.Text;

namespace AgentFirm.Host.Cli;

/// <summary>
/// `agentfirm sentiment score|eval|train`: score texts with a sentiment model (lexicon, trained:PATH,
/// onnx:DIR), measure a model on labelled text (accuracy, macro-F1, confusion matrix) and train the fast
/// ML.NET model. Labelled files use the shared text schema: text and label columns, labels negative|neutral|positive.
/// </summary>
public static class SentimentCommand
{
    private static readonly JsonWriterOptions Indented = new() { Indented = true };

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var command = new Command("sentiment", "Sentiment models: score texts, evaluate on labelled text, train the fast model.");
        command.Subcommands.Add(Score(stdout, stderr));
        command.Subcommands.Add(Eval(stdout, stderr));
        command.Subcommands.Add(Train(stdout, stderr));
        return command;
    }

    private static Option<string> ModelOption() => new("--model")
    {
        Description = "lexicon (built-in crypto lexicon), trained:PATH (a folder from `sentiment train`) or onnx:DIR (exported FinBERT-class model).",
        DefaultValueFactory = _ => "lexicon",
    };

    private static Command Score(TextWriter stdout, TextWriter stderr)
    {
        var input = new Option<string>("--input") { Description = "CSV with a text column; every column is kept in the output.", Required = true };
        var model = ModelOption();
        var output = new Option<string?>("--out") { Description = "CSV to write (default: stdout). Adds score,label (predicted_score,predicted_label when the input has those names) and p_negative,p_neutral,p_positive when the model has probabilities." };
        var pipeline = new Option<bool>("--pipeline")
        {
            Description = "Also run the text pipeline (duplicates, bots and link spam, public figures, engagement) and add kept,drop_reason,weight,pipeline_score,note; " +
                          "uses the optional columns timestamp, symbol, author, likes, reposts, replies, upvotes, account_age_days, followers, posts_per_day. The report goes to stderr.",
        };
        var force = OutputTarget.ForceOption();
        var command = new Command("score", "Score every text in a CSV.") { input, model, output, pipeline, force };
        command.SetAction(parse =>
        {
            if (parse.GetValue(output) is { } target) OutputTarget.File(target, parse.GetValue(force));
            var table = TextTable.Load(parse.GetValue(input)!);
            var text = table.Column("text");
            var spec = SentimentModelSpec.Parse(parse.GetValue(model));
            var scorer = LoadModel(spec);
            var texts = table.Rows.Select(r => r.Fields[text]).ToList();
            var scores = scorer.ScoreMany(texts);
            var probabilities = scorer is IProbabilisticSentimentScorer p ? p.ProbabilitiesMany(texts) : null;
            var screened = parse.GetValue(pipeline) ? Screen(table, scorer, spec, stderr) : null;

            var clash = table.OptionalColumn("score") >= 0 || table.OptionalColumn("label") >= 0;
            var prefix = clash ? "predicted_" : "";
            var header = table.Header.Select(CsvFormat.Field).Concat([prefix + "score", prefix + "label"]);
            if (probabilities is not null) header = header.Concat(["p_negative", "p_neutral", "p_positive"]);
            if (screened is not null) header = header.Concat(["kept", "drop_reason", "weight", "pipeline_score", "note"]);
            var sb = new StringBuilder();
            sb.Append(string.Join(',', header)).Append('\n');
            for (var i = 0; i < table.Rows.Count; i++)
            {
                sb.Append(string.Join(',', table.Rows[i].Fields.Select(CsvFormat.Field)));
                sb.Append(',').Append(CsvFormat.Number(Math.Round(scores[i].Score, 6))).Append(',').Append(scores[i].LabelText);
                if (probabilities is not null)
                {
                    var q = probabilities[i];
                    sb.Append(',').Append(CsvFormat.Number(Math.Round(q.Negative, 6))).Append(',').Append(CsvFormat.Number(Math.Round(q.Neutral, 6)))
                      .Append(',').Append(CsvFormat.Number(Math.Round(q.Positive, 6)));
                }
                if (screened is not null)
                {
                    var (kept, reason) = screened[i];
                    sb.Append(',').Append(kept is null ? "false" : "true").Append(',').Append(reason?.ToString() ?? "")
                      .Append(',').Append(kept is null ? "" : CsvFormat.Number(Math.Round(kept.Weight, 6)))
                      .Append(',').Append(kept is null ? "" : CsvFormat.Number(Math.Round(kept.Sentiment.Score, 6)))
                      .Append(',').Append(CsvFormat.Field(kept?.Note));
                }
                sb.Append('\n');
            }
            var file = parse.GetValue(output);
            if (file is null) stdout.Write(sb.ToString());
            else
            {
                WriteAtomically(file, sb.ToString());
                stderr.WriteLine($"scored {table.Rows.Count} texts with {spec} -> {file}");
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Eval(TextWriter stdout, TextWriter stderr)
    {
        var input = new Option<string[]>("--input") { Description = "Labelled CSV(s) (text,label columns; labels negative|neutral|positive). Repeat for several files.", Required = true, AllowMultipleArgumentsPerToken = true };
        var model = ModelOption();
        var output = new Option<string?>("--out") { Description = "JSON file for accuracy, macro_f1 and confusion." };
        var holdout = new Option<double>("--holdout") { Description = "Evaluate only the held-out part that `sentiment train --holdout F --seed S` set aside (0 = all rows).", DefaultValueFactory = _ => 0.0 };
        var seed = new Option<int>("--seed") { Description = "Seed of the held-out split (as given to train).", DefaultValueFactory = _ => 1 };
        var force = OutputTarget.ForceOption();
        var command = new Command("eval", "Accuracy, macro-F1 and confusion matrix of a model on labelled text.") { input, model, output, holdout, seed, force };
        command.SetAction(parse =>
        {
            if (parse.GetValue(output) is { } target) OutputTarget.File(target, parse.GetValue(force));
            var files = parse.GetValue(input)!;
            var items = LoadLabelled(files);
            var fraction = parse.GetValue(holdout);
            if (!(fraction is >= 0 and < 1)) throw new BadInputException($"--holdout must be in [0, 1), got {fraction}");
            if (fraction > 0) items = HoldoutSplit.Split(items, fraction, parse.GetValue(seed)).Holdout;
            var spec = SentimentModelSpec.Parse(parse.GetValue(model));
            var metrics = SentimentMetrics.Evaluate(LoadModel(spec), items);
            stdout.Write(Describe(metrics, $"{spec} on {string.Join(", ", files.Select(Path.GetFileName))}{(fraction > 0 ? string.Create(CultureInfo.InvariantCulture, $" (held-out {fraction * 100:0.#}%, seed {parse.GetValue(seed)})") : "")}"));
            if (parse.GetValue(output) is { } file)
            {
                WriteAtomically(file, MetricsJson(metrics, spec.ToString(), files, fraction));
                stderr.WriteLine($"metrics -> {file}");
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Train(TextWriter stdout, TextWriter stderr)
    {
        var data = new Option<string[]>("--data") { Description = "Labelled CSV(s) to learn from (text,label columns). Repeat for several files.", Required = true, AllowMultipleArgumentsPerToken = true };
        var output = new Option<string>("--out") { Description = "Folder to write the model to (model.zip + model.json).", Required = true };
        var seed = new Option<int>("--seed") { Description = "Seed of the held-out split and of the trainer.", DefaultValueFactory = _ => 1 };
        var holdout = new Option<double>("--holdout") { Description = "Fraction of rows held out for the reported metrics (0 = train on all).", DefaultValueFactory = _ => 0.2 };
        var wordNgrams = new Option<int>("--word-ngrams") { Description = "Longest word n-gram.", DefaultValueFactory = _ => 2 };
        var charNgrams = new Option<int>("--char-ngrams") { Description = "Character n-gram length.", DefaultValueFactory = _ => 4 };
        var iterations = new Option<int>("--iterations") { Description = "Most L-BFGS iterations.", DefaultValueFactory = _ => 100 };
        var force = OutputTarget.ForceOption();
        var command = new Command("train", "Train the fast ML.NET sentiment model (word and character n-grams + linear maximum-entropy classifier).")
        {
            data, output, seed, holdout, wordNgrams, charNgrams, iterations, force,
        };
        command.SetAction(parse =>
        {
            OutputTarget.Folder(parse.GetValue(output)!, parse.GetValue(force));
            var fraction = parse.GetValue(holdout);
            if (!(fraction is >= 0 and < 1)) throw new BadInputException($"--holdout must be in [0, 1), got {fraction}");
            var options = new TrainingOptions(Seed: parse.GetValue(seed), WordNgrams: parse.GetValue(wordNgrams), CharNgrams: parse.GetValue(charNgrams), Iterations: parse.GetValue(iterations));
            options.Validate();
            var files = parse.GetValue(data)!;
            var items = LoadLabelled(files);
            var (train, held) = HoldoutSplit.Split(items, fraction, options.Seed);
            stderr.WriteLine($"read {items.Count} labelled texts; training on {train.Count}, holding out {held.Count} (seed {options.Seed})");
            var started = DateTime.UtcNow;
            var trained = TrainedSentimentModel.Train(train, options, new SyncProgress(stderr));
            var folder = parse.GetValue(output)!;
            trained.Save(folder);
            stderr.WriteLine($"trained in {(DateTime.UtcNow - started).TotalSeconds:0.0} s -> {folder}");
            if (held.Count > 0) stdout.Write(Describe(SentimentMetrics.Evaluate(trained, held), $"trained model on {held.Count} held-out texts"));
            else stdout.WriteLine($"trained on all {train.Count} texts (no held-out metrics: --holdout 0)");
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Runs the text pipeline over the table's rows: per row, the kept text (scored, weighted) or why it was dropped.</summary>
    private static (ScoredHeadline? Kept, DropReason? Reason)[] Screen(TextTable table, ISentimentScorer scorer, SentimentModelSpec spec, TextWriter stderr)
    {
        var posts = SocialPostTable.Read(table);
        var rowOf = new Dictionary<Headline, int>(ReferenceEqualityComparer.Instance);
        for (var i = 0; i < posts.Count; i++) rowOf[posts[i].Headline] = i;
        var pipeline = new TextPipeline(scorer, new TextPipelineOptions { Normaliser = new TextNormaliserOptions(DecodeSlang: spec.WantsDecodedSlang) });
        var batch = pipeline.Process(posts);
        var result = new (ScoredHeadline?, DropReason?)[posts.Count];
        foreach (var k in batch.Kept) result[rowOf[k.Headline]] = (k, null);
        foreach (var d in batch.Dropped) result[rowOf[d.Post.Headline]] = (null, d.Reason);
        stderr.WriteLine($"pipeline: {pipeline.Report}");
        return result;
    }

    /// <summary>The scorer a spec names; onnx:DIR runs the FinBERT runner with its options from AgentFirm:Sentiment (appsettings, environment).</summary>
    private static ISentimentScorer LoadModel(SentimentModelSpec spec) =>
        spec.Load(spec.Kind == SentimentModelKind.Onnx ? OnnxSentimentModels.Loader(AgentFirmSettings.Load().Configuration) : null);

    /// <summary>Labelled rows of one or more files; an unknown label is exit 2 naming the file and row.</summary>
    private static List<(string Text, SentimentLabel Label)> LoadLabelled(IEnumerable<string> files) =>
        files.SelectMany(f => LabeledTextCsv.Load(f)).Select(r => (r.Text, SentimentMetrics.ParseLabel(r.Label))).ToList();

    internal static string Describe(SentimentMetrics m, string title)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine(title);
        sb.AppendLine(string.Create(inv, $"  texts     {m.Count}"));
        sb.AppendLine(string.Create(inv, $"  accuracy  {m.Accuracy:0.0000}   (majority class {m.MajorityShare:0.0000})"));
        sb.AppendLine(string.Create(inv, $"  macro-F1  {m.MacroF1:0.0000}   (F1 negative {m.F1[0]:0.000}, neutral {m.F1[1]:0.000}, positive {m.F1[2]:0.000})"));
        sb.AppendLine("  confusion (rows: true, columns: predicted)");
        sb.AppendLine(string.Create(inv, $"  {"",-10}{"negative",10}{"neutral",10}{"positive",10}"));
        var names = new[] { "negative", "neutral", "positive" };
        for (var t = 0; t < 3; t++)
            sb.AppendLine(string.Create(inv, $"  {names[t],-10}{m.Confusion[t, 0],10}{m.Confusion[t, 1],10}{m.Confusion[t, 2],10}"));
        return sb.ToString();
    }

    private static string MetricsJson(SentimentMetrics m, string model, IEnumerable<string> files, double holdout)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, Indented))
        {
            w.WriteStartObject();
            w.WriteString("model", model);
            w.WriteStartArray("input");
            foreach (var f in files) w.WriteStringValue(f);
            w.WriteEndArray();
            w.WriteNumber("holdout", holdout);
            w.WriteNumber("count", m.Count);
            w.WriteNumber("accuracy", m.Accuracy);
            w.WriteNumber("macro_f1", m.MacroF1);
            w.WriteNumber("majority_share", m.MajorityShare);
            w.WriteStartObject("f1");
            for (var k = 0; k < 3; k++)
                if (double.IsFinite(m.F1[k])) w.WriteNumber(LabeledTextCsv.Labels[k], m.F1[k]);
                else w.WriteNull(LabeledTextCsv.Labels[k]);
            w.WriteEndObject();
            w.WriteStartObject("confusion");
            w.WriteStartArray("labels");
            foreach (var l in LabeledTextCsv.Labels) w.WriteStringValue(l);
            w.WriteEndArray();
            w.WriteStartArray("matrix");
            for (var t = 0; t < 3; t++)
            {
                w.WriteStartArray();
                for (var p = 0; p < 3; p++) w.WriteNumberValue(m.Confusion[t, p]);
                w.WriteEndArray();
            }
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static void WriteAtomically(string path, string content)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temp = full + ".tmp";
        File.WriteAllText(temp, content, new UTF8Encoding(false));
        File.Move(temp, full, overwrite: true);
    }

    /// <summary>Progress that prints at once on the caller's thread (Progress&lt;T&gt; posts to the thread pool and can print late).</summary>
    private sealed class SyncProgress(TextWriter writer) : IProgress<string>
    {
        public void Report(string value) => writer.WriteLine($"  {value}");
    }
}
