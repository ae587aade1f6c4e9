using System.Text.Json.Nodes;
using AgentFirm.Quant.Backtest;
using AgentFirm.Quant.Metrics;

namespace AgentFirm.Quant.Reporting;

/// <summary>
/// A finished backtest with what a reader needs to trust it: the run and its metrics, buy-and-hold of
/// the same instruments from the same run for comparison, the configuration, and where the data came
/// from (checksums, gaps, warnings). <see cref="VariantsTried"/> feeds the deflated Sharpe later.
/// </summary>
public sealed record BacktestReport(
    BacktestResult Result,
    BacktestResult Benchmark,
    JsonObject Config,
    JsonArray Data,
    int VariantsTried = 1)
{
    /// <summary>More files for the report folder (name to content), e.g. the firm's decision journal.</summary>
    public IReadOnlyDictionary<string, string> ExtraFiles { get; init; } = new Dictionary<string, string>();

    /// <summary>What warm-up was asked for and what the data held (added to report.json's "warmup" beside what the engine replayed).</summary>
    public JsonObject? WarmupRequest { get; init; }

    /// <summary>What produced the run (effective configuration, code version, input hashes, seeds, command line); written as report.json's "provenance".</summary>
    public JsonObject? Provenance { get; init; }

    /// <summary>Set when the risk agent halted trading during the run; null for a run that was never halted (or cannot be).</summary>
    public BacktestHalt? Halt { get; init; }

    /// <summary>Whether the strategy can be halted at all (the firm has a risk agent; a fixed rule does not): decides whether report.json says "halted": false.</summary>
    public bool CanHalt { get; init; }

    /// <summary>The drawdown and daily-loss limits the overshoot is measured against (the firm's risk limits; defaults otherwise).</summary>
    public Risk.RiskLimits Limits { get; init; } = new();

    /// <summary>How many times the risk agent acted between decisions (flattened, tightened stops); 0 for a strategy without one.</summary>
    public int RiskActionsBetweenDecisions { get; init; }

    /// <summary>How far past each limit the book went, and why (report.json's "limits").</summary>
    public IReadOnlyList<LimitOvershoot> Overshoot => _overshoot ??= LimitOvershoot.Measure(Result, Limits.MaxDrawdown, Limits.DailyLossLimit);

    private IReadOnlyList<LimitOvershoot>? _overshoot;
    /// <summary>The firm's LLM mind counts (calls, fallbacks by reason, retries), written as report.json's "mind"; null without a model mind.</summary>
    public JsonObject? Mind { get; init; }

    /// <summary>Implementation shortfall of the strategy's parent orders per algorithm (report.json's "execution"); null when the strategy keeps no parent journal.</summary>
    public JsonObject? Execution { get; init; }

    public PerformanceMetrics Metrics { get; } = PerformanceMetrics.From(Result);
    public PerformanceMetrics BenchmarkMetrics { get; } = PerformanceMetrics.From(Benchmark);
}
