using System.Globalization;
using AgentFirm.Quant.Reporting;
using Spectre.Console;

namespace AgentFirm.Host.Cli;

/// <summary>The strategy-vs-buy-and-hold table every backtest prints on stdout.</summary>
public static class BacktestSummary
{
    public static void Write(TextWriter stdout, BacktestReport report, params string[] footer)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(stdout) });
        var result = report.Result;
        var table = new Table()
            .Title($"{Markup.Escape(result.Strategy)} vs buy-and-hold: {string.Join(", ", result.Instruments.Select(i => i.Symbol))} {result.Timeframe}, {report.Metrics.Start:yyyy-MM-dd} to {report.Metrics.End:yyyy-MM-dd}")
            .AddColumn("metric")
            .AddColumn(new TableColumn(Markup.Escape(result.Strategy)).RightAligned())
            .AddColumn(new TableColumn("buy-and-hold").RightAligned());
        foreach (var (name, strategy, buyAndHold) in EquityChart.MetricRows(report.Metrics, report.BenchmarkMetrics))
            table.AddRow(name, strategy, buyAndHold);
        if (report.Halt is { } halt)
            table.AddRow("[red]halted[/]", Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                $"{halt.Time.UtcDateTime:yyyy-MM-dd HH:mm}Z: {halt.Drawdown:P1} drawdown{(halt.LimitValue is { } v ? string.Create(CultureInfo.InvariantCulture, $", limit {v:P1}") : $" ({halt.Limit.Replace('_', ' ')})")}")), "-");
        else if (report.CanHalt) table.AddRow("halted", "no", "-");
        console.Write(table);
        if (report.Halt is { } h) console.WriteLine(h.Describe());
        foreach (var limit in report.Overshoot) console.WriteLine((report.CanHalt ? "limit " : "limit (not enforced) ") + limit.Describe());
        foreach (var line in footer) console.WriteLine(line);
    }
}
