using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using AgentFirm.Core;
using AgentFirm.Quant.Validation;

namespace AgentFirm.Host.Cli;

/// <summary>
/// `agentfirm stats sharpe|pbo|cv-plan`: the validation statistics on their own (issue 5). Each prints one JSON
/// object on stdout that echoes its inputs. Sharpe ratios and their variance are per period (not annualised)
/// and kurtosis is the plain (non-excess) one, as in Bailey &amp; Lopez de Prado.
/// </summary>
public static class StatsCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var command = new Command("stats", "Validation statistics: probabilistic/deflated Sharpe and MinTRL, PBO by CSCV, purged k-fold and CPCV plans.");
        command.Subcommands.Add(Sharpe(stdout));
        command.Subcommands.Add(Pbo(stdout));
        command.Subcommands.Add(CvPlan(stdout));
        return command;
    }

    private static Command Sharpe(TextWriter stdout)
    {
        var sr = new Option<double?>("--sr") { Description = "Observed Sharpe ratio per period (not annualised)." };
        var periods = new Option<int?>("--periods") { Description = "Number of return observations T." };
        var skew = new Option<double?>("--skew") { Description = "Skewness of the returns (gamma_3)." };
        var kurtosis = new Option<double?>("--kurtosis") { Description = "Kurtosis of the returns, plain not excess (gamma_4; 3 for a normal)." };
        var benchmark = new Option<double>("--benchmark-sr") { Description = "Benchmark Sharpe ratio SR* per period for PSR and MinTRL.", DefaultValueFactory = _ => 0.0 };
        var trials = new Option<int?>("--trials") { Description = "Number of independent trials N behind the selection (for SR0 and DSR)." };
        var variance = new Option<double?>("--trials-sr-variance") { Description = "Variance of the trials' per-period Sharpe ratios V[SR_n]." };
        var alpha = new Option<double>("--alpha") { Description = "Significance level for MinTRL (confidence 1 - alpha).", DefaultValueFactory = _ => 0.05 };
        var returns = new Option<string?>("--returns") { Description = "CSV of returns (with a header) to compute SR, T, skew and kurtosis from, instead of --sr/--periods/--skew/--kurtosis." };
        var column = new Option<string?>("--column") { Description = "Column of --returns to use (default: the only non-time column, or one named return/returns)." };
        var fromEquity = new Option<bool>("--from-equity") { Description = "The --returns column holds equity (or price) levels: use the simple returns E_t / E_t-1 - 1 between its rows." };
        var command = new Command("sharpe", "Probabilistic Sharpe ratio, deflated Sharpe ratio and minimum track record length (Bailey & Lopez de Prado 2012, 2014).")
        {
            sr, periods, skew, kurtosis, benchmark, trials, variance, alpha, returns, column, fromEquity,
        };
        command.SetAction(parse =>
        {
            var file = parse.GetValue(returns);
            var columnName = parse.GetValue(column);
            double observedSr, observedSkew, observedKurtosis;
            int observedPeriods;
            if (file is not null)
            {
                if (parse.GetValue(sr) is not null || parse.GetValue(periods) is not null || parse.GetValue(skew) is not null || parse.GetValue(kurtosis) is not null)
                    throw new BadInputException("give either --returns or --sr/--periods/--skew/--kurtosis, not both");
                var series = NumericCsv.ReadColumn(file, columnName, out var usedColumn);
                columnName = usedColumn;
                series = parse.GetValue(fromEquity) ? ReturnsColumn.FromLevels(series, file, usedColumn) : ReturnsColumn.Checked(series, file, usedColumn);
                var moments = Guard(() => ReturnMoments.From(series));
                (observedSr, observedPeriods, observedSkew, observedKurtosis) = (moments.Sharpe, moments.Count, moments.Skewness, moments.Kurtosis);
            }
            else
            {
                if (columnName is not null) throw new BadInputException("--column needs --returns");
                if (parse.GetValue(fromEquity)) throw new BadInputException("--from-equity needs --returns");
                observedSr = parse.GetValue(sr) ?? throw new BadInputException("--sr is required (or give --returns FILE)");
                observedPeriods = parse.GetValue(periods) ?? throw new BadInputException("--periods is required (or give --returns FILE)");
                observedSkew = parse.GetValue(skew) ?? throw new BadInputException("--skew is required (or give --returns FILE)");
                observedKurtosis = parse.GetValue(kurtosis) ?? throw new BadInputException("--kurtosis is required (or give --returns FILE)");
                if (observedPeriods < 2) throw new BadInputException($"too few observations: --periods {observedPeriods}, at least 2 are needed");
            }
            var benchmarkSr = parse.GetValue(benchmark);
            var significance = parse.GetValue(alpha);
            var trialCount = parse.GetValue(trials);
            var trialVariance = parse.GetValue(variance);
            if (trialCount is null && trialVariance is not null) throw new BadInputException("--trials-sr-variance needs --trials");
            if (trialCount is > 1 && trialVariance is null) throw new BadInputException("--trials above 1 needs --trials-sr-variance (the variance of the trials' Sharpe ratios)");
            if (trialCount is < 1) throw new BadInputException($"--trials must be at least 1, got {trialCount}");

            var srStd = Guard(() => ProbabilisticSharpe.StandardError(observedSr, observedPeriods, observedSkew, observedKurtosis));
            var psr = Guard(() => ProbabilisticSharpe.Probability(observedSr, observedPeriods, observedSkew, observedKurtosis, benchmarkSr));
            var minTrl = Guard(() => ProbabilisticSharpe.MinimumTrackRecordLength(observedSr, observedSkew, observedKurtosis, benchmarkSr, significance));
            double? sr0 = null, dsr = null;
            if (trialCount is { } n)
            {
                var v = trialVariance ?? 0;
                sr0 = Guard(() => DeflatedSharpe.ExpectedMaximumSharpe(n, v));
                dsr = Guard(() => DeflatedSharpe.Probability(observedSr, observedPeriods, observedSkew, observedKurtosis, n, v));
            }

            WriteJson(stdout, w =>
            {
                w.WriteString("statistic", "sharpe");
                if (file is not null)
                {
                    w.WriteString("returns", file);
                    w.WriteString("column", columnName);
                    w.WriteBoolean("from_equity", parse.GetValue(fromEquity));
                }
                Number(w, "sr", observedSr);
                w.WriteNumber("periods", observedPeriods);
                Number(w, "skew", observedSkew);
                Number(w, "kurtosis", observedKurtosis);
                Number(w, "benchmark_sr", benchmarkSr);
                Number(w, "trials", trialCount);
                Number(w, "trials_sr_variance", trialVariance);
                Number(w, "alpha", significance);
                Number(w, "sr_std", srStd);
                Number(w, "psr", psr);
                Number(w, "sr0", sr0);
                Number(w, "dsr", dsr);
                Number(w, "min_trl", minTrl);
            });
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Pbo(TextWriter stdout)
    {
        var matrix = new Option<string>("--matrix") { Description = "CSV with one column per strategy and one row per period (returns); a leading timestamp/date column is ignored.", Required = true };
        var partitions = new Option<int>("--partitions") { Description = "Number S of row partitions (even).", DefaultValueFactory = _ => 16 };
        var command = new Command("pbo", "Probability of backtest overfitting by CSCV (Bailey, Borwein, Lopez de Prado & Zhu 2017).") { matrix, partitions };
        command.SetAction(parse =>
        {
            var file = parse.GetValue(matrix)!;
            var s = parse.GetValue(partitions);
            if (s < 2 || s % 2 != 0) throw new BadInputException($"--partitions must be even and at least 2, got {s}");
            var (names, rows) = NumericCsv.ReadMatrix(file);
            if (rows.Count < 2 * s) throw new BadInputException($"{file}: too few observations: {rows.Count} rows for {s} partitions (each needs at least 2 rows)");
            if (names.Count < 2) throw new BadInputException($"{file}: at least 2 strategy columns are needed, found {names.Count}");
            var result = Guard(() => BacktestOverfitting.Estimate(rows, s));
            WriteJson(stdout, w =>
            {
                w.WriteString("statistic", "pbo");
                w.WriteString("matrix", file);
                w.WriteNumber("partitions", s);
                w.WriteNumber("observations", result.Observations);
                w.WriteNumber("strategies", result.Strategies);
                w.WriteStartArray("strategy_names");
                foreach (var name in names) w.WriteStringValue(name);
                w.WriteEndArray();
                Number(w, "pbo", result.Pbo);
                w.WriteNumber("n_combinations", result.Combinations);
                w.WriteStartArray("logits");
                foreach (var l in result.Logits) w.WriteNumberValue(l);
                w.WriteEndArray();
            });
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command CvPlan(TextWriter stdout)
    {
        var observations = new Option<int>("--observations") { Description = "Number of observations T.", Required = true };
        var horizon = new Option<int>("--horizon") { Description = "Label horizon h in observations: observation i's label spans [i, i + h].", DefaultValueFactory = _ => 0 };
        var groups = new Option<int>("--groups") { Description = "Number of groups N (also the k of purged k-fold).", DefaultValueFactory = _ => 6 };
        var testGroups = new Option<int>("--test-groups") { Description = "Number of test groups k per CPCV split.", DefaultValueFactory = _ => 2 };
        var embargo = new Option<double>("--embargo") { Description = "Embargo as a fraction of T: ceil(embargo * T) observations after each test block.", DefaultValueFactory = _ => 0.0 };
        var command = new Command("cv-plan", "Purged k-fold and combinatorial purged CV splits with embargo, and the CPCV backtest paths (Lopez de Prado 2018, ch. 7 and 12).")
        {
            observations, horizon, groups, testGroups, embargo,
        };
        command.SetAction(parse =>
        {
            var t = parse.GetValue(observations);
            var h = parse.GetValue(horizon);
            var n = parse.GetValue(groups);
            var k = parse.GetValue(testGroups);
            var e = parse.GetValue(embargo);
            if (t < 2) throw new BadInputException($"too few observations: --observations {t}");
            if (h < 0) throw new BadInputException($"--horizon cannot be negative, got {h}");
            if (n < 2 || n > t) throw new BadInputException($"--groups must lie in [2, observations = {t}], got {n}");
            if (k < 1 || k >= n) throw new BadInputException($"--test-groups must lie in [1, groups - 1 = {n - 1}], got {k}");
            if (!(e >= 0 && e < 1)) throw new BadInputException($"--embargo must lie in [0, 1), got {e.ToString(CultureInfo.InvariantCulture)}");
            var windows = LabelWindow.FixedHorizon(t, h);
            var kfold = Guard(() => PurgedKFold.Split(windows, n, e));
            var plan = Guard(() => CombinatorialPurgedCv.Plan(windows, n, k, e));
            WriteJson(stdout, w =>
            {
                w.WriteString("statistic", "cv-plan");
                w.WriteNumber("observations", t);
                w.WriteNumber("horizon", h);
                w.WriteNumber("groups", n);
                w.WriteNumber("test_groups", k);
                Number(w, "embargo", e);
                w.WriteNumber("embargo_observations", plan.Embargo);
                w.WriteStartObject("purged_kfold");
                w.WriteNumber("folds", kfold.Count);
                w.WriteStartArray("splits");
                foreach (var split in kfold)
                {
                    w.WriteStartObject();
                    Indices(w, "train", split.Train);
                    Indices(w, "test", split.Test);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
                w.WriteStartObject("cpcv");
                w.WriteNumber("n_splits", plan.Splits.Count);
                w.WriteNumber("n_paths", plan.PathCount);
                w.WriteStartArray("groups");
                foreach (var g in plan.Groups) { w.WriteStartArray(); foreach (var i in g) w.WriteNumberValue(i); w.WriteEndArray(); }
                w.WriteEndArray();
                w.WriteStartArray("splits");
                foreach (var split in plan.Splits)
                {
                    w.WriteStartObject();
                    Indices(w, "test_groups", split.TestGroups);
                    Indices(w, "train", split.Train);
                    Indices(w, "test", split.Test);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteStartArray("paths");
                foreach (var path in plan.Paths)
                {
                    w.WriteStartObject();
                    w.WriteStartArray("segments");
                    foreach (var segment in path)
                    {
                        w.WriteStartObject();
                        w.WriteNumber("group", segment.Group);
                        w.WriteNumber("split", segment.Split);
                        w.WriteEndObject();
                    }
                    w.WriteEndArray();
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            });
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Argument errors from the statistics are input the user must fix: exit code 2.</summary>
    private static T Guard<T>(Func<T> compute)
    {
        try { return compute(); }
        catch (ArgumentException ex) { throw new BadInputException(StripParameter(ex)); }
    }

    private static string StripParameter(ArgumentException ex)
    {
        var message = ex is ArgumentOutOfRangeException range && range.ActualValue is not null
            ? ex.Message.Split(Environment.NewLine)[0]
            : ex.Message;
        var cut = message.IndexOf(" (Parameter '", StringComparison.Ordinal);
        return cut >= 0 ? message[..cut] : message;
    }

    private static void WriteJson(TextWriter stdout, Action<Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }
        stdout.WriteLine(Encoding.UTF8.GetString(buffer.ToArray()));
    }

    private static void Number(Utf8JsonWriter w, string name, double? value)
    {
        if (value is { } v && double.IsFinite(v)) w.WriteNumber(name, v);
        else w.WriteNull(name);
    }

    private static void Number(Utf8JsonWriter w, string name, int? value)
    {
        if (value is { } v) w.WriteNumber(name, v);
        else w.WriteNull(name);
    }

    private static void Indices(Utf8JsonWriter w, string name, IReadOnlyList<int> indices)
    {
        w.WriteStartArray(name);
        foreach (var i in indices) w.WriteNumberValue(i);
        w.WriteEndArray();
    }

    /// <summary>Comma-separated numeric tables with a header row; every problem names file, row and field.</summary>
    private static class NumericCsv
    {
        private static readonly string[] TimeColumns = ["timestamp", "time", "date", "datetime", "period"];
        private static readonly string[] ReturnColumns = ["return", "returns", "ret"];

        public static List<double> ReadColumn(string file, string? column, out string used)
        {
            var (header, lines) = HeaderedCsv.Read(file);
            int index;
            if (column is not null)
            {
                index = Array.FindIndex(header, h => string.Equals(h, column, StringComparison.OrdinalIgnoreCase));
                if (index < 0) throw new BadInputException($"{file}: no column '{column}' (columns: {string.Join(", ", header)})");
            }
            else
            {
                var candidates = Enumerable.Range(0, header.Length).Where(i => !TimeColumns.Contains(header[i], StringComparer.OrdinalIgnoreCase)).ToArray();
                var named = candidates.Where(i => ReturnColumns.Contains(header[i], StringComparer.OrdinalIgnoreCase)).ToArray();
                index = candidates.Length == 1 ? candidates[0] : named.Length == 1 ? named[0]
                    : throw new BadInputException($"{file}: several columns ({string.Join(", ", header)}); choose one with --column");
            }
            used = header[index];
            var values = new List<double>(lines.Count);
            foreach (var (row, cells) in lines) values.Add(Parse(file, row, header, cells, index));
            if (values.Count < ReturnMoments.MinimumCount)
                throw new BadInputException($"{file}: too few observations: {values.Count} returns, at least {ReturnMoments.MinimumCount} are needed");
            return values;
        }

        public static (IReadOnlyList<string> Names, List<IReadOnlyList<double>> Rows) ReadMatrix(string file)
        {
            var (header, lines) = HeaderedCsv.Read(file);
            var first = header.Length > 0 && TimeColumns.Contains(header[0], StringComparer.OrdinalIgnoreCase) ? 1 : 0;
            var names = header[first..];
            var rows = new List<IReadOnlyList<double>>(lines.Count);
            foreach (var (row, cells) in lines)
            {
                var values = new double[names.Length];
                for (var c = 0; c < names.Length; c++) values[c] = Parse(file, row, header, cells, first + c);
                rows.Add(values);
            }
            return (names, rows);
        }

        private static double Parse(string file, long row, string[] header, string[] cells, int index)
        {
            var text = cells[index];
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
                throw new BadInputException(file, row, header[index], text.Length == 0 ? "empty cell, a number is expected" : $"'{text}' is not a number");
            return value;
        }
    }
}
