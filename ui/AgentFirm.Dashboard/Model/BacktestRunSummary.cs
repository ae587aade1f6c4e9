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
