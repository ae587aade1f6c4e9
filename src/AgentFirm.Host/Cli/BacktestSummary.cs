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
        console.Write(table);
        foreach (var line in footer) console.WriteLine(line);
    }
}
