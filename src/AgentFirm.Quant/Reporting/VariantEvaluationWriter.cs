using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentFirm.Quant.Validation;
using static AgentFirm.Core.CsvFormat;

namespace AgentFirm.Quant.Reporting;

/// <summary>
/// Writes an evaluation folder: evaluate.json (everything, with the context the caller passes: config,
/// data checksums, warm-up), evaluate.csv (the comparison table), returns.csv (per-period returns, one
/// column per variant) and evaluate.html; plus any extra files. Written into a temporary sibling folder and
/// moved into place at the end, as <see cref="BacktestReportWriter"/> does.
/// </summary>
public static class VariantEvaluationWriter
{
    public static IReadOnlyList<string> TableHeaders { get; } =
        ["variant", "Sharpe", "Sortino", "max drawdown", "CAGR", "exposure", "turnover (x/yr)", "costs paid", "trades"];

    public static IReadOnlyList<string> ContributionHeaders { get; } =
        ["analyst", "firm Sharpe", "without it", "contribution", "95% interval", "std. error", "P(firm better)", "mean return diff. (ann.)"];

    private static string P(double v) => v.ToString("P2", CultureInfo.InvariantCulture);
    private static string N(double v) => v.ToString("F2", CultureInfo.InvariantCulture);
    private static string M(double v) => v.ToString("#,0.00", CultureInfo.InvariantCulture);

    public static IEnumerable<string[]> TableRows(VariantEvaluation evaluation) =>
        evaluation.Variants.Select(v => new[]
        {
            v.Name, N(v.Metrics.Sharpe), N(v.Metrics.Sortino), P(v.Metrics.MaxDrawdown), P(v.Metrics.Cagr), P(v.Metrics.Exposure),
            N(v.Metrics.Turnover), M(v.CostsPaid), v.Trades.ToString(CultureInfo.InvariantCulture),
        });

    public static IEnumerable<string[]> ContributionRows(VariantEvaluation evaluation) =>
        evaluation.Contributions.Select(c => new[]
        {
            c.Ablation.Agent, N(c.Difference.SharpeA), N(c.Difference.SharpeB), N(c.Difference.Difference),
            $"[{N(c.Difference.Lower)}, {N(c.Difference.Upper)}]", N(c.Difference.StandardError), P(c.Difference.ProbabilityPositive),
            $"{P(c.Difference.MeanReturnDifference * evaluation.PeriodsPerYear)} ± {P(c.Difference.MeanReturnDifferenceStandardError * evaluation.PeriodsPerYear)}",
        });

    public static IEnumerable<string> SummaryLines(VariantEvaluation evaluation)
    {
        var d = evaluation.Deflated;
        var f = CultureInfo.InvariantCulture;
        yield return d.Dsr is { } dsr
            ? string.Create(f, $"deflated Sharpe of {evaluation.Selected}: DSR {dsr:F3} (PSR vs 0: {d.Psr:F3}); per-period SR {d.Sharpe:F4} over {d.Periods} periods, skew {d.Skewness:F2}, kurtosis {d.Kurtosis:F2}; {d.Trials} trials, variance of their per-period SR {d.TrialsSharpeVariance:G3}, SR0 {d.ExpectedMaximumSharpe:F4}")
            : $"deflated Sharpe of {evaluation.Selected}: undefined ({d.Note})";
        var p = evaluation.Pbo;
        yield return p.Pbo is { } pbo
            ? string.Create(f, $"PBO across the {evaluation.Variants.Count} variants: {pbo:F3} (CSCV, {p.Partitions} partitions, {p.Combinations} combinations{(p.Note is null ? "" : "; " + p.Note)})")
            : $"PBO: not computed ({p.Note})";
    }

    public static void Write(string outDir, VariantEvaluation evaluation, JsonObject context, string title, IReadOnlyDictionary<string, string>? extraFiles = null)
    {
        ReportFolder.Write(outDir, temp =>
        {
            File.WriteAllText(Path.Combine(temp, "evaluate.json"), Json(evaluation, context).ToJsonString(BacktestReportWriter.Json));
            File.WriteAllText(Path.Combine(temp, "evaluate.csv"), TableCsv(evaluation));
            File.WriteAllText(Path.Combine(temp, "returns.csv"), ReturnsCsv(evaluation));
            File.WriteAllText(Path.Combine(temp, "evaluate.html"), ComparisonChart.Html(evaluation, title));
            foreach (var (name, content) in extraFiles ?? new Dictionary<string, string>())
            {
                var path = Path.Combine(temp, name);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllText(path, content);
            }
        });
    }

    public static JsonObject Json(VariantEvaluation evaluation, JsonObject context)
    {
        var json = new JsonObject
        {
            ["selected"] = evaluation.Selected,
            ["start"] = evaluation.SelectedVariant.Metrics.Start,
            ["end"] = evaluation.SelectedVariant.Metrics.End,
            ["periods"] = evaluation.Times.Count,
            ["periods_per_year"] = evaluation.PeriodsPerYear,
        };
        var variants = new JsonArray();
        foreach (var v in evaluation.Variants)
        {
            var item = new JsonObject
            {
                ["name"] = v.Name,
                ["kind"] = v.Kind,
                ["description"] = v.Description,
                ["strategy"] = v.Result.Strategy,
                ["sharpe"] = v.Metrics.Sharpe,
                ["sortino"] = v.Metrics.Sortino,
                ["max_drawdown"] = v.Metrics.MaxDrawdown,
                ["cagr"] = v.Metrics.Cagr,
                ["exposure"] = v.Metrics.Exposure,
                ["turnover"] = v.Metrics.Turnover,
                ["costs_paid"] = v.CostsPaid,
                ["trades"] = v.Trades,
                ["metrics"] = JsonSerializer.SerializeToNode(v.Metrics),
                ["warmup"] = BacktestReportWriter.WarmupJson(v.Result.Warmup),
            };
            foreach (var (key, value) in v.Extra) item[key] = value?.DeepClone();
            variants.Add(item);
        }
        json["variants"] = variants;
        json["contributions"] = new JsonArray(evaluation.Contributions.Select(c => (JsonNode)Contribution(c.Ablation, c.Difference, evaluation.PeriodsPerYear)).ToArray());
        var d = evaluation.Deflated;
        json["deflated_sharpe"] = new JsonObject
        {
            ["variant"] = evaluation.Selected,
            ["sr"] = d.Sharpe,
            ["periods"] = d.Periods,
            ["skew"] = d.Skewness,
            ["kurtosis"] = d.Kurtosis,
            ["trials"] = d.Trials,
            ["trials_sr_variance"] = d.TrialsSharpeVariance,
            ["sr0"] = d.ExpectedMaximumSharpe,
            ["psr"] = d.Psr,
            ["dsr"] = d.Dsr,
            ["note"] = d.Note,
            ["conventions"] = "per-period Sharpe ratios (not annualised), plain (non-excess) kurtosis, trials = variants run, as agentfirm stats sharpe",
        };
        var p = evaluation.Pbo;
        json["pbo"] = new JsonObject
        {
            ["pbo"] = p.Pbo,
            ["partitions"] = p.Partitions,
            ["combinations"] = p.Combinations,
            ["strategies"] = evaluation.Variants.Count,
            ["observations"] = evaluation.Times.Count,
            ["note"] = p.Note,
            ["matrix"] = "returns.csv",
        };
        foreach (var (key, value) in context) json[key] = value?.DeepClone();
        return json;
    }

    private static JsonObject Contribution(Ablation ablation, SharpeDifference d, double periodsPerYear) => new()
    {
        ["agent"] = ablation.Agent,
        ["without_variant"] = ablation.Without,
        ["firm_sharpe"] = d.SharpeA,
        ["without_sharpe"] = d.SharpeB,
        ["contribution"] = d.Difference,
        ["standard_error"] = d.StandardError,
        ["lower"] = d.Lower,
        ["upper"] = d.Upper,
        ["confidence"] = d.Confidence,
        ["probability_positive"] = d.ProbabilityPositive,
        ["mean_return_difference"] = d.MeanReturnDifference,
        ["mean_return_difference_se"] = d.MeanReturnDifferenceStandardError,
        ["mean_return_difference_annualised"] = d.MeanReturnDifference * periodsPerYear,
        ["periods"] = d.Periods,
        ["bootstrap"] = $"paired circular block bootstrap, {d.Samples} samples, block length {d.BlockLength}",
    };

    private static string TableCsv(VariantEvaluation evaluation)
    {
        var sb = new StringBuilder("variant,kind,sharpe,sortino,max_drawdown,cagr,exposure,turnover,costs_paid,fees_paid,slippage_paid,funding_paid,trades,total_return,volatility,final_equity\n");
        foreach (var v in evaluation.Variants)
        {
            var m = v.Metrics;
            sb.Append(Field(v.Name)).Append(',').Append(v.Kind);
            foreach (var x in new[] { m.Sharpe, m.Sortino, m.MaxDrawdown, m.Cagr, m.Exposure, m.Turnover, v.CostsPaid, m.FeesPaid, m.SlippagePaid, m.FundingPaid })
                sb.Append(',').Append(Number(x));
            sb.Append(',').Append(v.Trades);
            foreach (var x in new[] { m.TotalReturn, m.Volatility, m.FinalEquity }) sb.Append(',').Append(Number(x));
            sb.Append('\n');
        }
        return sb.ToString();
    }

    private static string ReturnsCsv(VariantEvaluation evaluation)
    {
        var sb = new StringBuilder("timestamp");
        foreach (var v in evaluation.Variants) sb.Append(',').Append(Field(v.Name));
        sb.Append('\n');
        for (var t = 0; t < evaluation.Times.Count; t++)
        {
            sb.Append(Timestamp(evaluation.Times[t]));
            foreach (var r in evaluation.Returns) sb.Append(',').Append(Number(r[t]));
            sb.Append('\n');
        }
        return sb.ToString();
    }
}
