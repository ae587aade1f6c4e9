using System.CommandLine;
using System.Globalization;
using AgentFirm.Core;
using AgentFirm.Models.Deep;
using AgentFirm.Models.Forecasting;
using AgentFirm.Quant.Labels;

namespace AgentFirm.Host.Cli;

/// <summary>The flags `train` and `validate` share: data, label, features and model settings.</summary>
internal sealed class ForecastCliOptions
{
    public readonly Option<string> Model = new("--model") { Description = $"Forecaster: {string.Join(", ", ForecasterCatalog.Names)} (ridge is logistic for a 0/1 label)", Required = true };
    public readonly Option<string> Data = new("--data") { Description = "A bar file or a folder laid out as DIR/<timeframe>/<SYMBOL>.csv[.gz]", Required = true };
    public readonly Option<string?> Symbols = new("--symbols") { Description = "One symbol, e.g. BTC-USDT (needed when --data is a folder)" };
    public readonly Option<string> Timeframe = new("--timeframe") { Description = "Bar interval: 1h, 4h, 1d", DefaultValueFactory = _ => "1h" };
    public readonly Option<string> Label = new("--label") { Description = "direction:H, return:H or triple-barrier:H:K (H bars, K horizon standard deviations)", DefaultValueFactory = _ => "direction:24" };
    public readonly Option<string?> From = new("--from") { Description = "First bar (open time), yyyy-MM-dd or ISO-8601, UTC" };
    public readonly Option<string?> To = new("--to") { Description = "Last bar (open time); a bare date includes that whole day" };
    public readonly Option<string> FeatureSet = new("--feature-set") { Description = "core (20 scale-free columns) or all (core plus the 184-column all set, each as a past-only rolling z-score)", DefaultValueFactory = _ => "core" };
    public readonly Option<int> ZScoreWindow = new("--zscore-window") { Description = "With --feature-set all: past rows each column is scored against", DefaultValueFactory = _ => 250 };
    public readonly Option<string?> Lags = new("--lags") { Description = "Comma-separated feature lags in bars, e.g. 1,2,3,5,10 (default none)" };
    public readonly Option<string> Weights = new("--weights") { Description = "Sample weights: none or uniqueness (AFML average uniqueness of overlapping labels)", DefaultValueFactory = _ => "none" };
    public readonly Option<int> Seed = new("--seed") { Description = "Random seed", DefaultValueFactory = _ => 42 };
    public readonly Option<double> Validation = new("--validation") { Description = "Share of the training window held out (last, purged) for early stopping", DefaultValueFactory = _ => 0.2 };
    public readonly Option<double> CostBps = new("--cost-bps") { Description = "Cost per unit of turnover for the sign-trading strategy, basis points", DefaultValueFactory = _ => 10.0 };
    public readonly Option<int?> Epochs = new("--epochs") { Description = "Deep models: most epochs (default 20)" };
    public readonly Option<int?> Lookback = new("--lookback") { Description = "Deep models: bars of features per decision (default 32)" };
    public readonly Option<int?> Hidden = new("--hidden") { Description = "Deep models: hidden size / d_model (default 32)" };
    public readonly Option<string> Device = new("--device") { Description = "Deep models: auto, cpu or cuda (falls back to cpu with a logged reason)", DefaultValueFactory = _ => "auto" };
    public readonly Option<int?> Trees = new("--trees") { Description = "LightGBM: boosting rounds (default 300)" };

    public IEnumerable<Option> All => [Model, Data, Symbols, Timeframe, Label, From, To, FeatureSet, ZScoreWindow, Lags, Weights, Seed, Validation, CostBps, Epochs, Lookback, Hidden, Device, Trees];

    public sealed record Inputs(string Model, Instrument Instrument, Timeframe Timeframe, LabelSpec Label, IReadOnlyList<Bar> Bars, SupervisedData Supervised, ForecasterChoices Choices, FitOptions Fit, double CostBps, System.Text.Json.Nodes.JsonArray DataReport);

    public Inputs Read(ParseResult parse, TextWriter stderr)
    {
        var model = parse.GetValue(Model)!.ToLowerInvariant();
        if (!ForecasterCatalog.Names.Contains(model) && model != "logistic")
            throw new BadInputException($"--model '{model}' is not one of {string.Join(", ", ForecasterCatalog.Names)}.");
        LabelSpec label;
        try { label = LabelSpec.Parse(parse.GetValue(Label)!); }
        catch (FormatException ex) { throw new BadInputException($"--label: {ex.Message}"); }
        var tf = CliParsing.Timeframe(parse.GetValue(Timeframe)!);
        var start = CliParsing.Time(parse.GetValue(From), "--from");
        var end = CliParsing.Time(parse.GetValue(To), "--to", endOfDay: true);
        if (start > end) throw new BadInputException($"--from {start:O} is after --to {end:O}.");
        var lags = ParseLags(parse.GetValue(Lags));
        var allSet = parse.GetValue(FeatureSet)!.ToLowerInvariant() switch
        {
            "core" => false,
            "all" => true,
            var f => throw new BadInputException($"--feature-set '{f}' must be core or all."),
        };
        var zWindow = parse.GetValue(ZScoreWindow);
        if (zWindow < 2) throw new BadInputException($"--zscore-window {zWindow} must be at least 2.");
        var weights = parse.GetValue(Weights)!.ToLowerInvariant() switch
        {
            "none" => false,
            "uniqueness" => true,
            var w => throw new BadInputException($"--weights '{w}' must be none or uniqueness."),
        };
        var validation = parse.GetValue(Validation);
        if (!(validation >= 0 && validation < 0.9)) throw new BadInputException($"--validation {validation} must lie in [0, 0.9).");
        var device = parse.GetValue(Device)!.ToLowerInvariant() switch
        {
            "auto" => DeviceChoice.Auto,
            "cpu" => DeviceChoice.Cpu,
            "cuda" => DeviceChoice.Cuda,
            var d => throw new BadInputException($"--device '{d}' must be auto, cpu or cuda."),
        };
        var symbols = CliParsing.Symbols(parse.GetValue(Symbols));
        if (symbols.Count > 1) throw new BadInputException($"--symbols: a forecaster is trained on one symbol at a time, got {symbols.Count}.");
        var loaded = BacktestData.Load(parse.GetValue(Data)!, symbols, tf, start, end, AgentFirmSettings.Load().Market);
        foreach (var note in loaded.Notes) stderr.WriteLine(note);
        foreach (var w in loaded.Warnings) stderr.WriteLine($"warning: {w.File}: row {w.Row}, field '{w.Field}': {w.Message}");
        var bars = loaded.Market[0].Bars;
        var supervised = SupervisedData.Build(bars, label, lags, 365, weights, allSet, zWindow);
        if (supervised.Dataset().UsableSamples(1).Length < 100)
            throw new BadInputException($"only {supervised.Dataset().UsableSamples(1).Length} labelled bars after warm-up between {bars[0].Time:O} and {bars[^1].Time:O}; at least 100 are needed.");

        var deep = new DeepSettings { Device = device };
        if (parse.GetValue(Epochs) is { } e) deep = deep with { Epochs = Positive(e, "--epochs") };
        if (parse.GetValue(Lookback) is { } l) deep = deep with { Lookback = Positive(l, "--lookback") };
        if (parse.GetValue(Hidden) is { } h) deep = deep with { Hidden = Positive(h, "--hidden") };
        var lightGbm = new LightGbmSettings();
        if (parse.GetValue(Trees) is { } t) lightGbm = lightGbm with { Iterations = Positive(t, "--trees") };
        var choices = new ForecasterChoices { Deep = deep, LightGbm = lightGbm, Log = m => stderr.WriteLine(m) };
        var fit = new FitOptions { ValidationFraction = validation, PurgeGap = label.Horizon, Seed = parse.GetValue(Seed) };
        return new Inputs(model, loaded.Market[0].Instrument, tf, label, bars, supervised, choices, fit, parse.GetValue(CostBps), loaded.Report);
    }

    private static int Positive(int value, string flag) => value >= 1 ? value : throw new BadInputException($"{flag} must be at least 1, got {value}.");

    public static IReadOnlyList<int> ParseLags(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return [];
        var lags = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var k) || k < 1)
                throw new BadInputException($"--lags: '{part}' is not a whole number of bars, at least 1.");
            lags.Add(k);
        }
        return lags.Distinct().ToArray();
    }

    /// <summary>Epoch/loss lines on stderr as training goes.</summary>
    public static IProgress<FitProgress> ProgressLines(TextWriter stderr, string model) => new LineProgress(stderr, model);

    private sealed class LineProgress(TextWriter stderr, string model) : IProgress<FitProgress>
    {
        public void Report(FitProgress p) =>
            stderr.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{model} epoch {p.Epoch}/{p.MaxEpochs} [{new string('#', p.Epoch * 20 / Math.Max(1, p.MaxEpochs)).PadRight(20, '.')}] train_loss={Loss(p.TrainLoss)} val_loss={Loss(p.ValidationLoss)}"));

        // LightGBM reports no training loss; a missing validation part has none either.
        private static string Loss(double x) => double.IsFinite(x) ? x.ToString("F5", CultureInfo.InvariantCulture) : "n/a";
    }
}
