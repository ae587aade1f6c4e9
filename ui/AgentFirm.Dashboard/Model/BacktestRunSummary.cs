using AgentFirm.Quant.Execution;
using AgentFirm.Quant.Metrics;

namespace AgentFirm.Dashboard.Model;

/// <summary>A finished backtest run and its headline figures (conventions on <see cref="PerformanceMetrics"/>).</summary>
public sealed record BacktestRunSummary(
    string Id,
    string Strategy,
    IReadOnlyList<string> Symbols,
    string Timeframe,
    DateTimeOffset Start,
    DateTimeOffset End,
    PerformanceMetrics Metrics);

/// <summary>One finished run opened: its summary, its equity curve (with exposure), its trade count and the configuration it ran with.</summary>
/// <param name="Configuration">The run's settings as its report wrote them (indented JSON), so a reader can rerun it.</param>
public sealed record BacktestRunDetail(
    BacktestRunSummary Run,
    IReadOnlyList<EquityPoint> Equity,
    int Trades,
    string Configuration)
{
    /// <summary>Implementation shortfall of the run's parent orders per algorithm (report.json's "execution"); empty for a run without a parent journal.</summary>
    public IReadOnlyList<AlgorithmShortfall> Execution { get; init; } = [];
}
