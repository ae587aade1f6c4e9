using System.Globalization;
using System.Text.Json;
using AgentFirm.Causal;
using AgentFirm.TestSupport;

namespace AgentFirm.Host.Tests.Cli;

public sealed class CausalCommandTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>x0 drives x1 at lag 2; x2 is noise; a timestamp column leads; a few cells are empty.</summary>
    private string WriteData(string name = "data.csv", Func<int, int, string?>? cell = null)
    {
        var data = SyntheticVar.Generate(3, 500, [new VarLink(0, 0, 1, 0.5), new VarLink(0, 1, 2, 0.6), new VarLink(1, 1, 1, 0.3)], seed: 3);
        var lines = new List<string> { "timestamp,btc,eth,noise" };
        for (var t = 0; t < data.T; t++)
        {
            var cells = Enumerable.Range(0, 3).Select(v => cell?.Invoke(t, v) ?? data[v, t].ToString("R", CultureInfo.InvariantCulture));
            lines.Add($"{new DateTime(2024, 1, 1).AddDays(t):yyyy-MM-dd},{string.Join(",", cells)}");
        }
        var file = _dir.File(name);
        File.WriteAllLines(file, lines);
        return file;
    }

    [Fact]
    public async Task Writes_graph_json_in_tigramite_layout_an_svg_and_a_summary()
    {
        var input = WriteData(cell: (t, v) => (t == 100 && v == 1) || (t == 200 && v == 2) ? "" : null);
        var output = _dir.File("out/graph.json");
        var run = await CliRunner.RunAsync("causal", "--input", input, "--tau-max", "3", "--alpha", "0.01", "--out", output);
        Assert.Equal(0, run.ExitCode);

        using var json = JsonDocument.Parse(File.ReadAllText(output));
        var root = json.RootElement;
        Assert.Equal(new[] { "btc", "eth", "noise" }, root.GetProperty("variables").EnumerateArray().Select(v => v.GetString()!).ToArray());
        Assert.Equal(1, root.GetProperty("tau_min").GetInt32());
        Assert.Equal(3, root.GetProperty("tau_max").GetInt32());
        Assert.Equal(0.2, root.GetProperty("pc_alpha").GetDouble());
        Assert.Equal(0.01, root.GetProperty("alpha").GetDouble());
        Assert.Equal("pcmci", root.GetProperty("method").GetString());
        Assert.Equal("parcorr", root.GetProperty("test").GetString());
        Assert.Equal("none", root.GetProperty("fdr").GetString());
        var p = root.GetProperty("p_matrix");
        Assert.Equal(3, p.GetArrayLength());
        Assert.All(p.EnumerateArray(), row => Assert.All(row.EnumerateArray(), cell => Assert.Equal(4, cell.GetArrayLength())));
        Assert.True(p[0][1][2].GetDouble() < 1e-10); // btc at lag 2 -> eth
        Assert.Equal(1.0, p[0][1][0].GetDouble());   // lag 0 not tested with tau_min 1
        Assert.True(root.GetProperty("val_matrix")[0][1][2].GetDouble() > 0.3);
        var links = root.GetProperty("links").EnumerateArray().ToArray();
        Assert.Contains(links, l => l.GetProperty("from").GetString() == "btc" && l.GetProperty("to").GetString() == "eth" && l.GetProperty("lag").GetInt32() == 2);
        Assert.All(links, l => Assert.True(l.GetProperty("p").GetDouble() <= 0.01));
        Assert.All(links, l => Assert.True(l.TryGetProperty("value", out _)));

        var svg = File.ReadAllText(_dir.File("out/graph.svg"));
        Assert.StartsWith("<svg", svg);
        Assert.Contains(">btc<", svg);
        Assert.Contains("marker-end", svg);
        Assert.Contains("btc(t-2) --> eth", run.Stdout);
    }

    [Fact]
    public async Task Pcmciplus_with_fdr_and_auto_pc_alpha_reports_its_settings()
    {
        var input = WriteData();
        var output = _dir.File("plus.json");
        var run = await CliRunner.RunAsync("causal", "--input", input, "--tau-max", "2", "--pc-alpha", "auto", "--method", "pcmciplus", "--fdr", "bh", "--out", output);
        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(File.ReadAllText(output));
        Assert.Equal("auto", json.RootElement.GetProperty("pc_alpha").GetString());
        Assert.Equal(0, json.RootElement.GetProperty("tau_min").GetInt32());
        Assert.Equal("pcmciplus", json.RootElement.GetProperty("method").GetString());
        Assert.Equal("bh", json.RootElement.GetProperty("fdr").GetString());
        Assert.True(File.Exists(_dir.File("plus.svg")));
    }

    [Fact]
    public async Task A_non_numeric_cell_is_bad_input_naming_row_and_column()
    {
        var input = WriteData(cell: (t, v) => t == 41 && v == 1 ? "n/a" : null);
        var run = await CliRunner.RunAsync("causal", "--input", input, "--tau-max", "2", "--out", _dir.File("g.json"));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("row 43", run.Stderr);  // header is row 1, step 0 is row 2
        Assert.Contains("'eth'", run.Stderr);
        Assert.False(File.Exists(_dir.File("g.json")));
    }

    [Theory]
    [InlineData("--pc-alpha", "1.5")]
    [InlineData("--method", "granger")]
    [InlineData("--tau-max", "-1")]
    public async Task Bad_arguments_exit_2(string option, string value)
    {
        var input = WriteData();
        var args = new List<string> { "causal", "--input", input, "--out", _dir.File("g.json") };
        if (option != "--tau-max") args.AddRange(["--tau-max", "2"]);
        args.AddRange([option, value]);
        var run = await CliRunner.RunAsync([.. args]);
        Assert.Equal(2, run.ExitCode);
    }

    [Fact]
    public async Task Missing_file_is_bad_input()
    {
        var run = await CliRunner.RunAsync("causal", "--input", _dir.File("none.csv"), "--tau-max", "2", "--out", _dir.File("g.json"));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("not found", run.Stderr);
    }
}
