using AgentFirm.Core;

namespace AgentFirm.Llm;

/// <summary>
/// An agent's mind: reads the numbers a decision step produced and returns a target per asset with a rationale.
/// Implementations never throw for a bad model answer; they fall back to the quantitative decision and say why.
/// </summary>
public interface IMind
{
    Task<MindDecision> SynthesiseAsync(SynthesisRequest request, CancellationToken ct);
}

/// <summary>A target for one asset: direction in [-1, 1] (short to long) and confidence in [0, 1].</summary>
public sealed record AssetTarget(string Symbol, double Direction, double Confidence)
{
    /// <summary>Clamps into range; NaN becomes 0 so a broken input reads as "no view".</summary>
    public AssetTarget Sanitised() => this with
    {
        Direction = double.IsFinite(Direction) ? Math.Clamp(Direction, -1, 1) : 0,
        Confidence = double.IsFinite(Confidence) ? Math.Clamp(Confidence, 0, 1) : 0,
    };
}

/// <summary>
/// Everything the meta-controller's synthesis sees at one decision time. <see cref="QuantTargets"/> is the
/// meta-controller's own weighted decision (one entry per asset, the only assets a mind may answer for);
/// <see cref="Headlines"/> are untrusted text. <see cref="Prices"/> (last close per symbol) is optional and only
/// used to show rebased levels.
/// </summary>
public sealed record SynthesisRequest(
    DateTimeOffset DecisionTime,
    IReadOnlyList<AssetTarget> QuantTargets,
    IReadOnlyList<AgentView> Views,
    Regime Regime,
    double RiskBudget,
    IReadOnlyList<Headline> Headlines,
    IReadOnlyDictionary<string, double>? Prices = null)
{
    /// <summary>The firm's book, P&amp;L, risk state and agent weights at the decision time; null when the caller has none.</summary>
    public FirmState? Firm { get; init; }

    /// <summary>The bull and bear researchers' debate of this step, in order; null or empty when there was none.</summary>
    public IReadOnlyList<DebateTurn>? Debate { get; init; }

    public IEnumerable<AgentView> ViewsFor(string symbol) =>
        Views.Where(v => string.Equals(v.Symbol, symbol, StringComparison.Ordinal));
}

/// <summary>
/// What the firm holds and how it is doing at a decision time, all as fractions so no money or price level
/// reaches a prompt: <see cref="AgentWeights"/> the meta-controller's trust per analyst (by agent name),
/// <see cref="Exposure"/> each position's signed value over equity, <see cref="PnlSinceStart"/> equity over the
/// first decision's equity minus 1, <see cref="Drawdown"/> 1 minus equity over its peak, and whether the risk
/// agent halted trading at the previous step.
/// </summary>
public sealed record FirmState(
    IReadOnlyDictionary<string, double> AgentWeights,
    IReadOnlyDictionary<string, double> Exposure,
    double PnlSinceStart,
    double Drawdown,
    bool Halted,
    string? HaltReason = null);

public enum MindSource
{
    /// <summary>The mind's own answer (for the offline mind: the quant decision by design).</summary>
    Mind,
    /// <summary>The mind could not answer usably; the quantitative decision stands.</summary>
    QuantFallback,
}

public enum FallbackReason
{
    /// <summary>The answer was not a single JSON object (prose, several blocks, broken JSON).</summary>
    InvalidJson,
    /// <summary>JSON, but missing, extra or mistyped fields.</summary>
    SchemaViolation,
    /// <summary>A number outside its range or not finite.</summary>
    OutOfRange,
    /// <summary>A symbol that was not asked for, a duplicate, or an asset left out.</summary>
    UnknownSymbol,
    /// <summary>The endpoint answered with an HTTP error or could not be reached.</summary>
    HttpError,
    /// <summary>No answer within <see cref="LlmOptions.Timeout"/>.</summary>
    Timeout,
    /// <summary>The caller cancelled (e.g. the decision step's deadline passed).</summary>
    Cancelled,
    /// <summary>The prompt template could not be loaded or filled.</summary>
    PromptError,
    /// <summary>The run's LLM budget (AgentFirm:Llm:BudgetPerRun) was spent: the mind fails closed to its offline view.</summary>
    BudgetExhausted,
}

/// <summary>The synthesis result: one target per asset of the request, in the request's order.</summary>
public sealed record MindDecision(
    DateTimeOffset DecisionTime,
    IReadOnlyList<AssetTarget> Targets,
    string Rationale,
    MindSource Source,
    FallbackReason? FallbackReason = null,
    bool Bounded = false)
{
    /// <summary>The prompt that produced the answer (role/variant@hash); null for the offline mind or when no prompt loaded.</summary>
    public string? PromptVersion { get; init; }

    public AssetTarget? TargetFor(string symbol) =>
        Targets.FirstOrDefault(t => string.Equals(t.Symbol, symbol, StringComparison.Ordinal));
}
