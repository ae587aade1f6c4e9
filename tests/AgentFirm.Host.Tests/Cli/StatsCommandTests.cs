using System.Text.Json;
using AgentFirm.Host.Cli;

namespace AgentFirm.Host.Tests.Cli;

public sealed class StatsCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("agentfirm-stats-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Sharpe_from_flags_reproduces_the_issue_example()
    {
        // Bailey & Lopez de Prado (2014) example, SR rounded to 0.158 as in issue 5: SR0 = 0.1132, DSR = 0.8999.
        var (code, json, _) = await Run("stats", "sharpe", "--sr", "0.158", "--periods", "1250", "--skew", "-3", "--kurtosis", "10",
            "--trials", "100", "--trials-sr-variance", "0.002");
        Assert.Equal(0, code);
        Assert.Equal(0.158, json.GetProperty("sr").GetDouble());
        Assert.Equal(1250, json.GetProperty("periods").GetInt32());
        Assert.Equal(-3, json.GetProperty("skew").GetDouble());
        Assert.Equal(10, json.GetProperty("kurtosis").GetDouble());
        Assert.Equal(0, json.GetProperty("benchmark_sr").GetDouble());
        Assert.Equal(100, json.GetProperty("trials").GetInt32());
        Assert.Equal(0.002, json.GetProperty("trials_sr_variance").GetDouble());
        Assert.Equal(0.05, json.GetProperty("alpha").GetDouble());
        Assert.Equal(0.11317, json.GetProperty("sr0").GetDouble(), 1e-5);
        Assert.Equal(0.89986, json.GetProperty("dsr").GetDouble(), 1e-5);
        Assert.Equal(Math.Sqrt((1 + 3 * 0.158 + 2.25 * 0.158 * 0.158) / 1249), json.GetProperty("sr_std").GetDouble(), 1e-12);
        Assert.True(json.GetProperty("psr").GetDouble() > 0.9999);
        Assert.Equal(166.836, json.GetProperty("min_trl").GetDouble(), 1e-3);
    }

    [Fact]
    public async Task Sharpe_without_trials_has_null_sr0_and_dsr_and_min_trl_null_below_the_benchmark()
    {
        var (code, json, _) = await Run("stats", "sharpe", "--sr", "0.05", "--periods", "500", "--skew", "0", "--kurtosis", "3", "--benchmark-sr", "0.1");
        Assert.Equal(0, code);
        Assert.Equal(JsonValueKind.Null, json.GetProperty("sr0").ValueKind);
        Assert.Equal(JsonValueKind.Null, json.GetProperty("dsr").ValueKind);
        Assert.Equal(JsonValueKind.Null, json.GetProperty("trials").ValueKind);
        Assert.Equal(JsonValueKind.Null, json.GetProperty("min_trl").ValueKind);
        Assert.True(json.GetProperty("psr").GetDouble() < 0.5);
    }

    [Fact]
    public async Task Sharpe_from_a_returns_file_computes_the_moments()
    {
        var random = new Random(5);
        var returns = Enumerable.Range(0, 400).Select(_ => 0.001 + 0.01 * (random.NextDouble() - 0.5)).ToArray();
        var file = Write("returns.csv", "timestamp,close,ret", returns.Select((r, i) => $"2024-01-{i % 28 + 1:00}T00:00:00Z,{100 + i},{r.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}"));
        var (code, json, _) = await Run("stats", "sharpe", "--returns", file, "--column", "ret", "--trials", "10", "--trials-sr-variance", "0.001");
        Assert.Equal(0, code);
        var moments = AgentFirm.Quant.Validation.ReturnMoments.From(returns);
        Assert.Equal(file, json.GetProperty("returns").GetString());
        Assert.Equal("ret", json.GetProperty("column").GetString());
        Assert.Equal(400, json.GetProperty("periods").GetInt32());
        Assert.Equal(moments.Sharpe, json.GetProperty("sr").GetDouble(), 1e-12);
        Assert.Equal(moments.Kurtosis, json.GetProperty("kurtosis").GetDouble(), 1e-12);
        var psr = AgentFirm.Quant.Validation.ProbabilisticSharpe.Probability(moments.Sharpe, 400, moments.Skewness, moments.Kurtosis);
        Assert.Equal(psr, json.GetProperty("psr").GetDouble(), 1e-12);
        Assert.True(json.GetProperty("dsr").GetDouble() < psr);
    }

    [Fact]
    public async Task Non_numeric_cell_is_bad_input_naming_file_row_and_field()
    {
        var file = Write("bad.csv", "timestamp,ret", ["2024-01-01,0.01", "2024-01-02,0.02", "2024-01-03,abc", "2024-01-04,0.03"]);
        var (code, _, stderr) = await Run("stats", "sharpe", "--returns", file);
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains(file, stderr);
        Assert.Contains("row 4", stderr);
        Assert.Contains("'ret'", stderr);
    }

    [Theory]
    [InlineData("stats", "sharpe", "--sr", "0.1", "--periods", "1", "--skew", "0", "--kurtosis", "3")]
    [InlineData("stats", "sharpe", "--sr", "0.1", "--periods", "100", "--skew", "0", "--kurtosis", "0.5")]
    [InlineData("stats", "sharpe", "--sr", "0.1", "--periods", "100", "--skew", "0")]
    [InlineData("stats", "sharpe", "--sr", "0.1", "--periods", "100", "--skew", "0", "--kurtosis", "3", "--trials", "10")]
    [InlineData("stats", "sharpe", "--sr", "abc", "--periods", "100", "--skew", "0", "--kurtosis", "3")]
    [InlineData("stats", "pbo", "--matrix", "/no/such/file.csv", "--partitions", "4")]
    [InlineData("stats", "cv-plan", "--observations", "100", "--groups", "6", "--test-groups", "6")]
    [InlineData("stats", "cv-plan", "--observations", "3", "--groups", "6")]
    [InlineData("stats", "cv-plan", "--observations", "100", "--embargo", "1.5")]
    public async Task Bad_arguments_exit_2(params string[] args)
    {
        var (code, _, stderr) = await Run(args);
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("error", stderr);
    }

    [Fact]
    public async Task Pbo_of_a_planted_edge_is_low_and_reports_every_logit()
    {
        var random = new Random(9);
        var rows = Enumerable.Range(0, 240).Select(t => string.Join(",",
            new[] { $"{t}" }.Concat(Enumerable.Range(0, 12).Select(n => (Gaussian(random) + (n == 3 ? 0.3 : 0)).ToString("R", System.Globalization.CultureInfo.InvariantCulture)))));
        var file = Write("matrix.csv", "timestamp," + string.Join(",", Enumerable.Range(0, 12).Select(n => $"s{n}")), rows);
        var (code, json, _) = await Run("stats", "pbo", "--matrix", file, "--partitions", "8");
        Assert.Equal(0, code);
        Assert.Equal(file, json.GetProperty("matrix").GetString());
        Assert.Equal(8, json.GetProperty("partitions").GetInt32());
        Assert.Equal(240, json.GetProperty("observations").GetInt32());
        Assert.Equal(12, json.GetProperty("strategies").GetInt32());
        Assert.Equal(70, json.GetProperty("n_combinations").GetInt32());
        Assert.Equal(70, json.GetProperty("logits").GetArrayLength());
        Assert.True(json.GetProperty("pbo").GetDouble() < 0.1);
    }

    [Fact]
    public async Task Pbo_rejects_odd_partitions_and_too_few_rows()
    {
        var file = Write("small.csv", "a,b", Enumerable.Range(0, 10).Select(i => $"{i},{-i}"));
        Assert.Equal(ExitCodes.BadInput, (await Run("stats", "pbo", "--matrix", file, "--partitions", "3")).Code);
        var (code, _, stderr) = await Run("stats", "pbo", "--matrix", file, "--partitions", "16");
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("too few observations", stderr);
    }

    [Fact]
    public async Task Cv_plan_of_the_issue_example()
    {
        var (code, json, _) = await Run("stats", "cv-plan", "--observations", "100", "--horizon", "5", "--groups", "6", "--test-groups", "2", "--embargo", "0.01");
        Assert.Equal(0, code);
        Assert.Equal(100, json.GetProperty("observations").GetInt32());
        Assert.Equal(5, json.GetProperty("horizon").GetInt32());
        Assert.Equal(0.01, json.GetProperty("embargo").GetDouble());
        Assert.Equal(1, json.GetProperty("embargo_observations").GetInt32());
        var kfold = json.GetProperty("purged_kfold").GetProperty("splits");
        Assert.Equal(6, kfold.GetArrayLength());
        var cpcv = json.GetProperty("cpcv");
        Assert.Equal(15, cpcv.GetProperty("n_splits").GetInt32());
        Assert.Equal(15, cpcv.GetProperty("splits").GetArrayLength());
        Assert.Equal(5, cpcv.GetProperty("n_paths").GetInt32());
        Assert.Equal(5, cpcv.GetProperty("paths").GetArrayLength());
        foreach (var split in kfold.EnumerateArray().Concat(cpcv.GetProperty("splits").EnumerateArray()))
        {
            var train = split.GetProperty("train").EnumerateArray().Select(e => e.GetInt32()).ToArray();
            var test = split.GetProperty("test").EnumerateArray().Select(e => e.GetInt32()).ToArray();
            // Labels span [i, i + 5]: no training label may overlap a test label.
            Assert.DoesNotContain(train, i => test.Any(j => i <= j + 5 && j <= i + 5));
        }
    }

    private string Write(string name, string header, IEnumerable<string> lines)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllLines(path, new[] { header }.Concat(lines));
        return path;
    }

    private static async Task<(int Code, JsonElement Json, string Stderr)> Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await AgentFirmCli.RunAsync(args, stdout, stderr);
        var text = stdout.ToString();
        var json = text.Length > 0 ? JsonDocument.Parse(text).RootElement.Clone() : default;
        if (code == 0) Assert.Single(text.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        return (code, json, stderr.ToString());
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
