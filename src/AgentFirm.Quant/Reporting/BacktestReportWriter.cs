using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentFirm.Quant.Backtest;
using AgentFirm.Quant.Metrics;
using static AgentFirm.Core.CsvFormat;

namespace AgentFirm.Quant.Reporting;

/// <summary>
/// Writes a report folder: report.json, equity.csv, returns.csv, trades.csv, fills.csv, orders.csv and chart.html.
/// Everything is written into a temporary sibling folder first and moved into place at the end, so a
/// failed run leaves either the old folder or nothing, never a half-written one.
/// </summary>
public static class BacktestReportWriter
{
    public static readonly JsonSerializerOptions Json = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void Write(string outDir, BacktestReport report)
    {
        ReportFolder.Write(outDir, temp =>
        {
            File.WriteAllText(Path.Combine(temp, "report.json"), ReportJson(report).ToJsonString(Json));
            WriteEquity(Path.Combine(temp, "equity.csv"), report);
            WriteReturns(Path.Combine(temp, "returns.csv"), report.Result);
            WriteTrades(Path.Combine(temp, "trades.csv"), report.Result);
            WriteFills(Path.Combine(temp, "fills.csv"), report.Result);
            WriteOrderEvents(Path.Combine(temp, "orders.csv"), report.Result);
            File.WriteAllText(Path.Combine(temp, "chart.html"), EquityChart.Html(report));
            foreach (var (name, content) in report.ExtraFiles) File.WriteAllText(Path.Combine(temp, Path.GetFileName(name)), content);
        });
    }

    /// <summary>Every metric at the top level under its snake_case name, then context.</summary>
    public static JsonObject ReportJson(BacktestReport report)
    {
        var json = (JsonObject)JsonSerializer.SerializeToNode(report.Metrics)!;
        json.Insert(0, "strategy", report.Result.Strategy);
        // "sharpe" is annualised (x sqrt(periods_per_year)); the per-bar value is what `stats sharpe` and the PSR/DSR take
        json["sharpe_per_bar"] = report.Metrics.PeriodsPerYear > 0 ? report.Metrics.Sharpe / Math.Sqrt(report.Metrics.PeriodsPerYear) : 0;
        json["symbols"] = new JsonArray(report.Result.Instruments.Select(i => (JsonNode)i.Symbol).ToArray());
        json["timeframe"] = report.Result.Timeframe.ToString();
        // Fixed-rule strategies fit nothing, so the whole span is out of sample; the count of variants
        // tried is what a deflated Sharpe needs to discount a best-of-many result.
        json["out_of_sample"] = new JsonObject { ["start"] = report.Metrics.Start, ["end"] = report.Metrics.End };
        json["variants_tried"] = report.VariantsTried;
        json["warmup"] = WarmupJson(report.Result.Warmup, report.WarmupRequest);
        json["order_events"] = new JsonObject(report.Result.OrderEvents.GroupBy(e => e.Kind.ToString().ToLowerInvariant())
            .Select(g => KeyValuePair.Create(g.Key, (JsonNode?)g.Count())));
        json["benchmark"] = new JsonObject
        {
            ["strategy"] = report.Benchmark.Strategy,
            ["metrics"] = JsonSerializer.SerializeToNode(report.BenchmarkMetrics),
        };
        json["config"] = report.Config.DeepClone();
        json["data"] = report.Data.DeepClone();
        if (report.CanHalt || report.Halt is not null)
        {
            json["halted"] = report.Halt is not null;
            json["halt"] = report.Halt?.ToJson();
        }
        json["limits"] = LimitOvershoot.ToJson(report.Result, report.Overshoot, report.CanHalt, report.RiskActionsBetweenDecisions);
        if (report.Mind is not null) json["mind"] = report.Mind.DeepClone();
        if (report.Execution is not null) json["execution"] = report.Execution.DeepClone();
        if (report.Provenance is not null) json["provenance"] = report.Provenance.DeepClone();
        return json;
    }

    /// <summary>The warm-up: what was asked (when given), the first warm-up bar, the bars replayed and the orders dropped.</summary>
    public static JsonObject WarmupJson(WarmupSummary warmup, JsonObject? request = null)
    {
        var json = new JsonObject();
        foreach (var (key, value) in request ?? []) json[key] = value?.DeepClone();
        json["trade_from"] = warmup.TradeFrom;
        json["first_bar"] = warmup.FirstBar;
        json["steps"] = warmup.Steps;
        json["bars"] = new JsonObject(warmup.BarsBySymbol.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value)));
        json["orders_suppressed"] = warmup.SuppressedOrders;
        return json;
    }

    private static void WriteEquity(string path, BacktestReport report)
    {
        var curve = report.Result.Curve;
        var benchmark = report.Benchmark.Curve;
        var drawdown = PerformanceMetrics.DrawdownSeries(curve.Equity);
        var sameClock = benchmark.Count == curve.Count;
        var sb = new StringBuilder("timestamp,equity,cash,gross_exposure,net_exposure,drawdown,benchmark_equity\n");
        for (var i = 0; i < curve.Count; i++)
            sb.Append(Timestamp(curve.Times[i])).Append(',').Append(Number(curve.Equity[i])).Append(',').Append(Number(curve.Cash[i])).Append(',')
              .Append(Number(curve.GrossExposure[i])).Append(',').Append(Number(curve.NetExposure[i])).Append(',').Append(Number(drawdown[i])).Append(',')
              .Append(sameClock ? Number(benchmark.Equity[i]) : "").Append('\n');
        File.WriteAllText(path, sb.ToString());
    }

    /// <summary>
    /// The strategy's simple return over each period, r_t = E_t / E_t-1 - 1, stamped with the period's closing bar: the
    /// series the report's Sharpe is computed from, so `stats sharpe --returns returns.csv` gives its per-period value.
    /// </summary>
    private static void WriteReturns(string path, BacktestResult result)
    {
        var curve = result.Curve;
        var returns = PerformanceMetrics.PeriodReturns(curve.Equity);
        var sb = new StringBuilder("timestamp,return\n");
        for (var i = 0; i < returns.Length; i++)
            sb.Append(Timestamp(curve.Times[i + 1])).Append(',').Append(Number(returns[i])).Append('\n');
        File.WriteAllText(path, sb.ToString());
    }

    private static void WriteTrades(string path, BacktestResult result)
    {
        var sb = new StringBuilder("symbol,direction,entry_time,exit_time,quantity,entry_price,exit_price,fees,funding,net_pnl,status\n");
        foreach (var t in result.RoundTrips)
            sb.Append(t.Symbol).Append(',').Append(t.Direction == Core.OrderSide.Buy ? "long" : "short").Append(',')
              .Append(Timestamp(t.EntryTime)).Append(',').Append(Timestamp(t.ExitTime)).Append(',').Append(Number(t.Quantity)).Append(',')
              .Append(Number(t.EntryPrice)).Append(',').Append(t.ExitPrice is { } x ? Number(x) : "").Append(',')
              .Append(Number(t.Fees)).Append(',').Append(Number(t.Funding)).Append(',').Append(Number(t.NetPnl)).Append(',')
              .Append(t.IsClosed ? "closed" : "open").Append('\n');
        File.WriteAllText(path, sb.ToString());
    }

    private static void WriteFills(string path, BacktestResult result)
    {
        var sb = new StringBuilder("time,order_id,symbol,side,quantity,price,fee,slippage_cost,liquidity\n");
        foreach (var f in result.Fills)
            sb.Append(Timestamp(f.Time)).Append(',').Append(f.OrderId).Append(',').Append(f.Symbol).Append(',')
              .Append(f.Side == Core.OrderSide.Buy ? "buy" : "sell").Append(',').Append(Number(f.Quantity)).Append(',')
              .Append(Number(f.Price)).Append(',').Append(Number(f.Fee)).Append(',').Append(Number(f.SlippageCost)).Append(',')
              .Append(f.IsMaker ? "maker" : "taker").Append('\n');
        File.WriteAllText(path, sb.ToString());
    }

    private static void WriteOrderEvents(string path, BacktestResult result)
    {
        var sb = new StringBuilder("time,order_id,symbol,event,reason\n");
        foreach (var e in result.OrderEvents)
            sb.Append(Timestamp(e.Time)).Append(',').Append(e.OrderId).Append(',').Append(e.Symbol).Append(',')
              .Append(e.Kind.ToString().ToLowerInvariant()).Append(',').Append(Field(e.Reason)).Append('\n');
        File.WriteAllText(path, sb.ToString());
    }
}
