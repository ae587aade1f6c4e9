using AgentFirm.Core;

namespace AgentFirm.Llm;

/// <summary>
/// What an analyst's mind reads at one decision time: the analyst's own quantitative views (one per asset, the
/// only assets it may answer for), the decision-time closes and the headlines known then.
/// </summary>
public sealed record AnalystBriefing(
    string Role,
    DateTimeOffset DecisionTime,
    IReadOnlyList<AgentView> QuantViews,
    IReadOnlyDictionary<string, double> Prices,
    IReadOnlyList<Headline> Headlines);

/// <summary>The views an analyst's mind stands by: its own, or the quantitative ones when it abstained (and why).</summary>
public sealed record AnalystOpinion(IReadOnlyList<AgentView> Views, MindSource Source, FallbackReason? Reason = null, string? PromptVersion = null);

/// <summary>An analyst's mind: reviews the quantitative views and answers the AgentView schema, or abstains.</summary>
public interface IAnalystMind
{
    string Role { get; }
    MindStats Stats { get; }
    /// <summary>Never throws for a bad model answer or a failed call: the quantitative views stand. A replay miss does throw.</summary>
    Task<AnalystOpinion> ReviewAsync(AnalystBriefing briefing, CancellationToken ct);
}

/// <summary>
/// An analyst (technical, sentiment, on-chain, causal) thinking with a model: the prompt
/// <c>prompts/&lt;role&gt;/&lt;variant&gt;.md</c> gets the analyst's quantitative views (anonymised like the
/// meta-controller's) and the model answers one view per asset with a falsification price. An answer that breaks the
/// schema is sent back once with the reason (one repair); if the second answer breaks it too, or the call fails,
/// the mind abstains: the quantitative views stand and the reason is counted. The views go to the meta-controller's
/// weighting as any analyst's do, so a model's view earns weight only by its track record.
/// </summary>
public sealed class ModelAnalystMind : IAnalystMind, IDisposable
{
    private readonly MindParts _parts;
    private readonly ChatModel _model;

    public ModelAnalystMind(MindParts parts)
    {
        if (!MindRoles.Analysts.Contains(parts.Role)) throw new ArgumentException($"'{parts.Role}' is not an analyst role ({string.Join(", ", MindRoles.Analysts)}).", nameof(parts));
        _parts = parts;
        _model = parts.Model;
    }

    public string Role => _parts.Role;
    public MindStats Stats => _parts.Stats;

    public async Task<AnalystOpinion> ReviewAsync(AnalystBriefing briefing, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(briefing);
        Stats.RecordCall();
        var symbols = briefing.QuantViews.Select(v => v.Symbol).Distinct(StringComparer.Ordinal).ToArray();
        var anonymiser = PromptAnonymiser.For(briefing.DecisionTime, symbols, briefing.Prices, _parts.Options.Anonymise);
        PromptTemplate template;
        RenderedPrompt prompt;
        try
        {
            template = await _parts.PromptAsync(ct).ConfigureAwait(false);
            prompt = template.Render(Values(briefing, symbols, anonymiser));
        }
        catch (PromptTemplateException e)
        {
            return Abstain(briefing, FallbackReason.PromptError, e.Message, null);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return Abstain(briefing, FallbackReason.Cancelled, "cancelled before the call", null);
        }

        List<ChatTurn> messages = [new("system", prompt.System), new("user", prompt.User)];
        var aliases = symbols.Select(anonymiser.Symbol).ToArray();
        for (var attempt = 0; ; attempt++)
        {
            var (reply, failure, detail) = await _model.AskAsync(Role, template.Version, briefing.DecisionTime, _model.Request(template.Settings, messages), ct).ConfigureAwait(false);
            if (failure is { } reason) return Abstain(briefing, reason, detail, template.Version);
            var (views, problem) = AgentViewReader.Read(reply!.Text, aliases);
            if (problem is null)
            {
                Stats.RecordSuccess();
                return new AnalystOpinion(views!.Select(v => ToAgentView(v, briefing.DecisionTime, anonymiser, template.Version)).ToArray(), MindSource.Mind, null, template.Version);
            }
            if (attempt > 0) return Abstain(briefing, problem.Reason, $"{problem.Detail} (after one repair)", template.Version);
            // One repair: the model sees its answer and why it was refused.
            Stats.RecordRepair();
            messages.Add(new ChatTurn("assistant", reply.Text));
            messages.Add(new ChatTurn("user", $"Your answer was refused: {problem.Detail}. Answer again with the corrected JSON object only, exactly in the schema given above."));
        }
    }

    /// <summary>The placeholders of an analyst prompt: per-step data only (the system part is static).</summary>
    internal IReadOnlyDictionary<string, string> Values(AnalystBriefing briefing, IReadOnlyList<string> symbols, PromptAnonymiser anonymiser) =>
        new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["decision_time"] = anonymiser.Time(briefing.DecisionTime),
            ["symbols"] = string.Join(", ", symbols.Select(anonymiser.Symbol)),
            ["prices"] = string.Join('\n', symbols.Select(s => briefing.Prices.TryGetValue(s, out var p) && double.IsFinite(p)
                ? $"- {anonymiser.Symbol(s)}: last price {MetaControllerPrompt.Number(anonymiser.Price(s, p))}"
                : $"- {anonymiser.Symbol(s)}: last price not known")),
            ["quant_views"] = MetaControllerPrompt.ViewLines(briefing.QuantViews, anonymiser),
            ["headlines"] = MetaControllerPrompt.Headlines(briefing.Headlines, briefing.DecisionTime, anonymiser, _parts.Options.MaxHeadlines),
        };

    private AgentView ToAgentView(AnsweredView answer, DateTimeOffset time, PromptAnonymiser anonymiser, string version)
    {
        var symbol = anonymiser.RestoreSymbol(answer.Symbol)!;
        // Price-unit evidence back to the real scale; the falsification price is a level like any other.
        var evidence = answer.Evidence
            .Select(e => EvidenceUnits.InPriceUnits(e.Name) ? e with { Value = anonymiser.RestorePrice(symbol, e.Value) } : e)
            .Append(new Evidence("falsification_price", anonymiser.RestorePrice(symbol, answer.FalsificationPrice), "the view is wrong beyond this price"))
            .ToArray();
        return new AgentView(Role, symbol, time, answer.Direction, answer.Confidence, TimeSpan.FromHours(answer.HorizonHours), evidence,
            $"{anonymiser.Restore(answer.Rationale)} [{version}]");
    }

    private AnalystOpinion Abstain(AnalystBriefing briefing, FallbackReason reason, string detail, string? version)
    {
        _parts.CountFailure(reason, briefing.DecisionTime, "abstained, the quantitative view stands", detail);
        return new AnalystOpinion(briefing.QuantViews, MindSource.QuantFallback, reason, version);
    }

    public void Dispose() => _model.Dispose();
}
