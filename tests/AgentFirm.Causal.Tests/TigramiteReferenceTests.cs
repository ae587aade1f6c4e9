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

    /// <summary>
    /// The benchmark-sized problem (N = 20, T = 3000, tau_max 5, pc_alpha 0.2): Reference/tigramite_bench.py wrote
    /// the data (bench20.csv, its own seeded VAR, not the C# bench's) and tigramite's matrices (bench20_tigramite.json,
    /// tigramite 5.2.10.1 from source on Debian's numpy 1.24.2 and scipy 1.10.1). All 20 x 20 x 6 entries compared.
    /// </summary>
    [Fact]
    public void Benchmark_sized_run_matches_tigramite_entry_for_entry_and_finds_the_same_62_links()
    {
        var lines = File.ReadAllLines(Path.Combine(Folder, "bench20.csv"));
        var names = lines[0].Split(',');
        var rows = lines.Skip(1).Select(l => l.Split(',').Select(c => double.Parse(c, CultureInfo.InvariantCulture)).ToArray()).ToArray();
        var data = new PcmciData(names, Enumerable.Range(0, names.Length).Select(v => rows.Select(r => r[v]).ToArray()).ToArray());
        Assert.Equal((20, 3000), (names.Length, rows.Length));
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "bench20_tigramite.json")));
        var p = json.RootElement.GetProperty("p_matrix");
        var val = json.RootElement.GetProperty("val_matrix");

        var result = Pcmci.Run(data, new PcmciOptions { TauMin = 1, TauMax = 5, PcAlpha = 0.2, Alpha = 0.01 });
        double worstP = 0, worstVal = 0;
        var theirs = new List<(int, int, int)>();
        var ours = new List<(int, int, int)>();
        for (var i = 0; i < 20; i++)
            for (var j = 0; j < 20; j++)
                for (var tau = 0; tau <= 5; tau++)
                {
                    worstP = Math.Max(worstP, Math.Abs(p[i][j][tau].GetDouble() - result.PMatrix[i][j][tau]));
                    worstVal = Math.Max(worstVal, Math.Abs(val[i][j][tau].GetDouble() - result.ValMatrix[i][j][tau]));
                    if (tau >= 1 && p[i][j][tau].GetDouble() <= 0.01) theirs.Add((i, j, tau)); // tigramite's graph: p <= alpha_level
                    if (tau >= 1 && result.PMatrix[i][j][tau] <= 0.01) ours.Add((i, j, tau));
                }
        Assert.True(worstP < 1e-8, $"largest p-value difference {worstP:G3}");
        Assert.True(worstVal < 1e-12, $"largest statistic difference {worstVal:G3}");
        Assert.Equal(62, theirs.Count);
        Assert.Equal(theirs, ours);
    }
}
