using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using AgentFirm.Causal;
using AgentFirm.Core;

namespace AgentFirm.Host.Cli;

/// <summary>
/// `agentfirm causal`: PCMCI / PCMCI+ on a CSV of time series (issue 7). Writes graph.json in tigramite's layout
/// (p_matrix[i][j][tau] is variable i at lag tau to variable j), a picture of the graph as SVG beside it, and a
/// readable list of the links on stdout.
/// </summary>
public static class CausalCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var input = new Option<string>("--input") { Description = "CSV with a header of variable names and one row per time step; a timestamp/date column is ignored; empty cells are missing (masked per test).", Required = true };
        var tauMax = new Option<int>("--tau-max") { Description = "Largest lag tested.", Required = true };
        var tauMin = new Option<int?>("--tau-min") { Description = "Smallest lag tested (default 1 for pcmci, 0 for pcmciplus, whose point is lag 0)." };
        var pcAlpha = new Option<string>("--pc-alpha") { Description = "Significance level of the condition-selection stage, or 'auto' (chosen per variable from 0.05..0.5 by an Akaike-type score; parcorr only).", DefaultValueFactory = _ => "0.2" };
        var alpha = new Option<double>("--alpha") { Description = "Level at which links are reported (after FDR correction when asked).", DefaultValueFactory = _ => 0.05 };
        var method = new Option<string>("--method") { Description = "pcmci (lagged links) or pcmciplus (also contemporaneous links, oriented).", DefaultValueFactory = _ => "pcmci" };
        method.AcceptOnlyFromAmong(StringComparer.OrdinalIgnoreCase, "pcmci", "pcmciplus");
        var test = new Option<string>("--test") { Description = "parcorr (linear, analytic p-values) or cmiknn (nonlinear, permutation test; slow on long series).", DefaultValueFactory = _ => "parcorr" };
        test.AcceptOnlyFromAmong(StringComparer.OrdinalIgnoreCase, "parcorr", "cmiknn");
        var fdr = new Option<string>("--fdr") { Description = "none, or bh: Benjamini-Hochberg over the lagged links tested.", DefaultValueFactory = _ => "none" };
        fdr.AcceptOnlyFromAmong(StringComparer.OrdinalIgnoreCase, "none", "bh");
        var seed = new Option<int>("--seed") { Description = "Seed of the cmiknn permutation test.", DefaultValueFactory = _ => 42 };
        var shuffles = new Option<int>("--shuffles") { Description = "Permutations per cmiknn test.", DefaultValueFactory = _ => 200 };
        var output = new Option<string>("--out") { Description = "graph.json to write; the SVG picture goes beside it with the extension .svg.", Required = true };
        var force = OutputTarget.ForceOption();
        var command = new Command("causal", "Causal discovery on time series with PCMCI / PCMCI+ (Runge et al. 2019, 2020), tigramite-compatible output.")
        {
            input, tauMax, tauMin, pcAlpha, alpha, method, test, fdr, seed, shuffles, output, force,
        };
        command.SetAction(parse =>
        {
            var file = parse.GetValue(input)!;
            var outFile = parse.GetValue(output)!;
            OutputTarget.File(outFile, parse.GetValue(force), "--out", Path.ChangeExtension(outFile, ".svg"));
            var methodName = parse.GetValue(method)!.ToLowerInvariant();
            var testName = parse.GetValue(test)!.ToLowerInvariant();
            var fdrName = parse.GetValue(fdr)!.ToLowerInvariant();
            var pcAlphaText = parse.GetValue(pcAlpha)!;
            double? pcAlphaValue = null;
            if (!string.Equals(pcAlphaText, "auto", StringComparison.OrdinalIgnoreCase))
            {
                if (!double.TryParse(pcAlphaText, NumberStyles.Float, CultureInfo.InvariantCulture, out var a) || !(a is > 0 and <= 1))
                    throw new BadInputException($"--pc-alpha must be a number in (0, 1] or 'auto', got '{pcAlphaText}'");
                pcAlphaValue = a;
            }
            if (testName == "cmiknn" && pcAlphaValue is null) throw new BadInputException("--pc-alpha auto needs --test parcorr (cmiknn has no model-selection score)");
            var shuffleCount = parse.GetValue(shuffles);
            if (shuffleCount < 1) throw new BadInputException($"--shuffles must be at least 1, got {shuffleCount}");
            var plus = methodName == "pcmciplus";
            var options = new PcmciOptions
            {
                TauMax = parse.GetValue(tauMax),
                TauMin = parse.GetValue(tauMin) ?? (plus ? 0 : 1),
                PcAlpha = pcAlphaValue,
                Alpha = parse.GetValue(alpha),
                Method = plus ? PcmciMethod.PcmciPlus : PcmciMethod.Pcmci,
                Test = testName == "cmiknn" ? new CmiKnn(shuffles: shuffleCount, seed: parse.GetValue(seed)) : new ParCorr(),
                Fdr = fdrName == "bh" ? FdrCorrection.BenjaminiHochberg : FdrCorrection.None,
            };
            var data = CausalCsv.Read(file);
            PcmciResult result;
            try { result = Pcmci.Run(data, options); }
            catch (ArgumentException ex) { throw new BadInputException($"{file}: {ex.Message}"); }

            var directory = Path.GetDirectoryName(Path.GetFullPath(outFile));
            if (directory is not null) Directory.CreateDirectory(directory);
            var provenance = RunProvenance.Build(AgentFirmSettings.Load(), parse.Tokens.Select(t => t.Value), [file],
                testName == "cmiknn" ? new Dictionary<string, long> { ["cmiknn_permutations"] = parse.GetValue(seed) } : null);
            File.WriteAllText(outFile, GraphJson(result, options, methodName, testName, fdrName, data, provenance));
            var svgFile = Path.ChangeExtension(outFile, ".svg");
            File.WriteAllText(svgFile, PcmciSvg.Render(result));
            stdout.Write(Summary(result, options, methodName, testName, fdrName, data, outFile, svgFile));
            return ExitCodes.Success;
        });
        return command;
    }

    private static string GraphJson(PcmciResult result, PcmciOptions options, string method, string test, string fdr, PcmciData data, System.Text.Json.Nodes.JsonObject provenance)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteStartArray("variables");
            foreach (var v in result.Variables) w.WriteStringValue(v);
            w.WriteEndArray();
            w.WriteNumber("tau_min", options.TauMin);
            w.WriteNumber("tau_max", options.TauMax);
            if (options.PcAlpha is { } a) w.WriteNumber("pc_alpha", a);
            else w.WriteString("pc_alpha", "auto");
            w.WriteStartArray("pc_alpha_used");
            foreach (var a2 in result.PcAlphas) w.WriteNumberValue(a2);
            w.WriteEndArray();
            w.WriteNumber("alpha", options.Alpha);
            w.WriteString("method", method);
            w.WriteString("test", test);
            w.WriteString("fdr", fdr);
            w.WriteNumber("steps", data.T);
            w.WriteNumber("samples", data.T - 2 * options.TauMax);
            w.WriteNumber("pc_tests", result.PcTests);
            w.WriteNumber("mci_tests", result.MciTests);
            Cube(w, "p_matrix", result.PMatrix);
            Cube(w, "val_matrix", result.ValMatrix);
            w.WriteStartArray("graph");
            foreach (var row in result.Graph)
            {
                w.WriteStartArray();
                foreach (var cell in row)
                {
                    w.WriteStartArray();
                    foreach (var mark in cell) w.WriteStringValue(mark);
                    w.WriteEndArray();
                }
                w.WriteEndArray();
            }
            w.WriteEndArray();
            w.WriteStartArray("links");
            foreach (var l in Ordered(result))
            {
                w.WriteStartObject();
                w.WriteString("from", result.Variables[l.From]);
                w.WriteString("to", result.Variables[l.To]);
                w.WriteNumber("lag", l.Lag);
                Number(w, "value", l.Value);
                Number(w, "p", l.PValue);
                w.WriteString("type", l.Type);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartObject("parents");
            for (var j = 0; j < result.Variables.Count; j++)
            {
                w.WriteStartArray(result.Variables[j]);
                foreach (var q in result.Parents[j])
                {
                    w.WriteStartObject();
                    w.WriteString("variable", result.Variables[q.Var]);
                    w.WriteNumber("lag", q.Lag);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            }
            w.WriteEndObject();
            w.WritePropertyName("provenance");
            provenance.WriteTo(w);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static IEnumerable<PcmciLink> Ordered(PcmciResult result) =>
        result.Links.OrderByDescending(l => Math.Abs(l.Value)).ThenBy(l => l.To).ThenBy(l => l.From).ThenBy(l => l.Lag);

    private static void Cube(Utf8JsonWriter w, string name, double[][][] m)
    {
        w.WriteStartArray(name);
        foreach (var row in m)
        {
            w.WriteStartArray();
            foreach (var cell in row)
            {
                w.WriteStartArray();
                foreach (var v in cell)
                    if (double.IsFinite(v)) w.WriteNumberValue(v);
                    else w.WriteNullValue();
                w.WriteEndArray();
            }
            w.WriteEndArray();
        }
        w.WriteEndArray();
    }

    private static void Number(Utf8JsonWriter w, string name, double v)
    {
        if (double.IsFinite(v)) w.WriteNumber(name, v);
        else w.WriteNull(name);
    }

    private static string Summary(PcmciResult result, PcmciOptions options, string method, string test, string fdr, PcmciData data, string outFile, string svgFile)
    {
        var s = new StringBuilder();
        var pc = options.PcAlpha is { } a ? a.ToString(CultureInfo.InvariantCulture) : $"auto ({string.Join(", ", result.PcAlphas.Select((x, k) => $"{result.Variables[k]} {x.ToString(CultureInfo.InvariantCulture)}"))})";
        s.AppendLine(CultureInfo.InvariantCulture, $"{method} with {test}: {data.N} variables, {data.T} steps (tests use {data.T - 2 * options.TauMax}), lags {options.TauMin}..{options.TauMax}, pc_alpha {pc}, alpha {options.Alpha.ToString(CultureInfo.InvariantCulture)}, fdr {fdr}");
        s.AppendLine(CultureInfo.InvariantCulture, $"{result.PcTests} condition-selection tests, {result.MciTests} {(method == "pcmciplus" ? "skeleton/orientation" : "MCI")} tests");
        var links = Ordered(result).ToArray();
        s.AppendLine(CultureInfo.InvariantCulture, $"{links.Length} link(s) at alpha {options.Alpha.ToString(CultureInfo.InvariantCulture)}, strongest first:");
        var width = result.Variables.Max(v => v.Length);
        foreach (var l in links)
        {
            var from = l.Lag == 0 ? result.Variables[l.From] : $"{result.Variables[l.From]}(t-{l.Lag})";
            s.AppendLine(CultureInfo.InvariantCulture, $"  {from.PadLeft(width + 6)} {l.Type} {result.Variables[l.To].PadRight(width)}  value {l.Value,7:F3}  p {l.PValue:G3}");
        }
        s.AppendLine(CultureInfo.InvariantCulture, $"wrote {outFile} and {svgFile}");
        return s.ToString();
    }

    /// <summary>Reads the series: header of names, one row per step, a time column skipped, empty cells missing.</summary>
    internal static class CausalCsv
    {
        private static readonly string[] TimeColumns = ["timestamp", "time", "date", "datetime", "period", "open_time", "close_time"];

        public static PcmciData Read(string file)
        {
            var (header, rows) = HeaderedCsv.Read(file);
            if (rows.Count == 0) throw new BadInputException($"{file}: no data rows");
            var skip = new bool[header.Length];
            for (var c = 0; c < header.Length; c++)
            {
                if (header[c].Length == 0) throw new BadInputException(file, 1, $"column {c + 1}", "empty variable name");
                skip[c] = TimeColumns.Contains(header[c], StringComparer.OrdinalIgnoreCase);
            }
            // a first column of dates under another name is a time column too
            var first = rows[0].Cells[0];
            if (!skip[0] && !double.TryParse(first, NumberStyles.Float, CultureInfo.InvariantCulture, out _)
                && DateTimeOffset.TryParse(first, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _))
                skip[0] = true;
            var columns = Enumerable.Range(0, header.Length).Where(c => !skip[c]).ToArray();
            if (columns.Length == 0) throw new BadInputException($"{file}: no variable columns besides the time column");
            var names = columns.Select(c => header[c]).ToArray();
            var duplicate = names.GroupBy(n => n, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
            if (duplicate is not null) throw new BadInputException(file, 1, duplicate.Key, "variable name appears twice");
            var series = columns.Select(_ => new double[rows.Count]).ToArray();
            for (var r = 0; r < rows.Count; r++)
                for (var k = 0; k < columns.Length; k++)
                {
                    var text = rows[r].Cells[columns[k]];
                    if (text.Length == 0) { series[k][r] = double.NaN; continue; }
                    if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || double.IsInfinity(value))
                        throw new BadInputException(file, rows[r].Row, header[columns[k]], $"'{text}' is not a number (leave the cell empty for a missing value)");
                    series[k][r] = value;
                }
            return new PcmciData(names, series);
        }
    }
}
