using System.Globalization;
using System.Text.Json;

namespace AgentFirm.Causal.Tests;

/// <summary>
/// Number for number against tigramite 5.2 (jakobrunge/tigramite, run_pcmci / run_pcmciplus with ParCorr analytic):
/// Reference/tigramite_reference.py made the data (numpy's generator) and tigramite's p_matrix, val_matrix and graph;
/// here the same runs must give the same p-values and statistics to 1e-6 and the same graph.
/// </summary>
public class TigramiteReferenceTests
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Reference");

    private static PcmciData Load(string file)
    {
        var lines = File.ReadAllLines(Path.Combine(Folder, file));
        var names = lines[0].Split(',')[1..];
        var rows = lines.Skip(1).Select(l => l.Split(',')[1..].Select(c => c.Length == 0 ? double.NaN : double.Parse(c, CultureInfo.InvariantCulture)).ToArray()).ToArray();
        return new PcmciData(names, Enumerable.Range(0, names.Length).Select(v => rows.Select(r => r[v]).ToArray()).ToArray());
    }

    public static TheoryData<string, string> Cases => new()
    {
        { "pcmci_fixed", "var5.csv" },
        { "pcmci_auto_fdr_masked", "var5_missing.csv" },
        { "pcmci_contemporaneous", "var5.csv" },
        { "pcmciplus", "var5.csv" },
        { "pcmciplus_masked", "var5_missing.csv" },
        { "pcmci_tau_min2_fdr", "var5.csv" },
        { "pcmciplus_fdr", "var5.csv" },
        { "pcmciplus_auto", "var5.csv" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Same_p_values_statistics_and_graph_as_tigramite(string name, string file)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "var5_tigramite.json")));
        var reference = json.RootElement.GetProperty(name);
        var args = reference.GetProperty("args");
        var options = new PcmciOptions
        {
            Method = reference.GetProperty("method").GetString() == "run_pcmciplus" ? PcmciMethod.PcmciPlus : PcmciMethod.Pcmci,
            TauMin = args.GetProperty("tau_min").GetInt32(),
            TauMax = args.GetProperty("tau_max").GetInt32(),
            PcAlpha = !args.TryGetProperty("pc_alpha", out var pc) || pc.ValueKind == JsonValueKind.Null ? null : pc.GetDouble(),
            Alpha = args.TryGetProperty("alpha_level", out var a) ? a.GetDouble() : 0.05,
            Fdr = args.TryGetProperty("fdr_method", out var f) && f.GetString() == "fdr_bh" ? FdrCorrection.BenjaminiHochberg : FdrCorrection.None,
        };
        var result = Pcmci.Run(Load(file), options);
        var n = result.Variables.Count;
        for (var i = 0; i < n; i++)
            for (var j = 0; j < n; j++)
                for (var tau = 0; tau <= options.TauMax; tau++)
                {
                    var where = $"{name} [{i}][{j}][{tau}]";
                    Assert.True(Math.Abs(reference.GetProperty("p_matrix")[i][j][tau].GetDouble() - result.PMatrix[i][j][tau]) < 1e-6,
                        $"{where} p: tigramite {reference.GetProperty("p_matrix")[i][j][tau].GetDouble()}, ours {result.PMatrix[i][j][tau]}");
                    Assert.True(Math.Abs(reference.GetProperty("val_matrix")[i][j][tau].GetDouble() - result.ValMatrix[i][j][tau]) < 1e-6,
                        $"{where} val: tigramite {reference.GetProperty("val_matrix")[i][j][tau].GetDouble()}, ours {result.ValMatrix[i][j][tau]}");
                    Assert.True(reference.GetProperty("graph")[i][j][tau].GetString() == result.Graph[i][j][tau],
                        $"{where} graph: tigramite '{reference.GetProperty("graph")[i][j][tau].GetString()}', ours '{result.Graph[i][j][tau]}'");
                }
    }
}
