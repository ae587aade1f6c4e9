using Microsoft.Extensions.Logging;

namespace AgentFirm.Llm;

/// <summary>
/// What a role's model mind is made of: the role and its prompt variant, the run's options and prompts folder, the
/// role's model (its own counts) and log. Shared by the analysts' and the researchers' minds.
/// </summary>
public sealed record MindParts(string Role, string Variant, LlmOptions Options, PromptLibrary Prompts, ChatModel Model, ILogger Logger)
{
    private const int WarningsPerReason = 3;

    public MindStats Stats => Model.Stats;

    /// <summary>The role's variant, read from the folder at every call (an edit counts on the next call).</summary>
    public Task<PromptTemplate> PromptAsync(CancellationToken ct) => Prompts.LoadAsync(Role, Variant, ct);

    /// <summary>Counts a failure by reason; the first few of each reason are warnings, the rest only counted.</summary>
    public void CountFailure(FallbackReason reason, DateTimeOffset decisionTime, string outcome, string detail)
    {
        var count = Stats.RecordFallback(reason);
        Logger.Log(count <= WarningsPerReason ? LogLevel.Warning : LogLevel.Debug,
            "LLM {Role} mind at {DecisionTime:O} {Outcome}: {Reason} ({Detail}){More}", Role, decisionTime, outcome, reason, Model.Scrub(detail),
            count == WarningsPerReason ? "; further failures of this reason are only counted" : "");
    }
}
