using System.Globalization;
using System.Text;
using System.Text.Json;

namespace AgentFirm.Llm;

/// <summary>One researcher's turn: who, which round, the argument (real names, restored) and how sure they are.</summary>
public sealed record DebateTurn(string Role, int Round, string Argument, double Conviction, string? PromptVersion, FallbackReason? Failure = null)
{
    /// <summary>One line of the transcript as stored with the decision step.</summary>
    public string Line() => string.Create(CultureInfo.InvariantCulture, $"round {Round} {Role} ({Conviction:0.##}): {Argument}");
}

/// <summary>
/// The bull and bear researchers argue over the analysts' views for a number of rounds, bull first in each round
/// (the bear answers it); the meta-controller's mind then decides with the transcript in its prompt. A turn that
/// fails (HTTP error, invalid answer, budget spent) stays in the transcript as "(no argument: reason)" and is
/// counted; the debate never stops a decision.
/// </summary>
public sealed class Debate(ResearcherMind bull, ResearcherMind bear, int rounds) : IDisposable
{
    public int Rounds { get; } = rounds;
    public ResearcherMind Bull { get; } = bull;
    public ResearcherMind Bear { get; } = bear;

    public async Task<IReadOnlyList<DebateTurn>> RunAsync(SynthesisRequest request, PromptAnonymiser anonymiser, CancellationToken ct)
    {
        var turns = new List<DebateTurn>(2 * Rounds);
        for (var round = 1; round <= Rounds; round++)
        {
            turns.Add(await Bull.ArgueAsync(request, anonymiser, turns, round, ct).ConfigureAwait(false));
            turns.Add(await Bear.ArgueAsync(request, anonymiser, turns, round, ct).ConfigureAwait(false));
        }
        return turns;
    }

    /// <summary>The transcript as the meta-controller's prompt shows it: escaped and anonymised like any other text.</summary>
    internal static string Transcript(IReadOnlyList<DebateTurn> turns, PromptAnonymiser anonymiser) =>
        turns.Count == 0 ? "(no debate)"
        : string.Join('\n', turns.Select(t => string.Create(CultureInfo.InvariantCulture,
            $"- round {t.Round}, {t.Role} (conviction {t.Conviction:0.##}): {MetaControllerPrompt.Safe(t.Argument, anonymiser)}")));

    public void Dispose()
    {
        Bull.Dispose();
        Bear.Dispose();
    }
}

/// <summary>
/// A researcher (bull or bear) with a model: prompt <c>prompts/&lt;role&gt;/&lt;variant&gt;.md</c> gets the quantitative
/// decision, the analysts' views and the debate so far; the answer is <c>{"argument","conviction"}</c>, strictly.
/// </summary>
public sealed class ResearcherMind : IDisposable
{
    public const int MaxArgument = 1200;
    private readonly MindParts _parts;
    private readonly ChatModel _model;

    public ResearcherMind(MindParts parts)
    {
        if (parts.Role is not (MindRoles.Bull or MindRoles.Bear)) throw new ArgumentException($"'{parts.Role}' is not a researcher role (bull, bear).", nameof(parts));
        _parts = parts;
        _model = parts.Model;
    }

    public string Role => _parts.Role;
    public MindStats Stats => _parts.Stats;

    public async Task<DebateTurn> ArgueAsync(SynthesisRequest request, PromptAnonymiser anonymiser, IReadOnlyList<DebateTurn> transcript, int round, CancellationToken ct)
    {
        Stats.RecordCall();
        PromptTemplate template;
        RenderedPrompt prompt;
        try
        {
            template = await _parts.PromptAsync(ct).ConfigureAwait(false);
            var values = new Dictionary<string, string>(MetaControllerPrompt.Values(request, anonymiser, _parts.Options.MaxHeadlines), StringComparer.Ordinal)
            {
                ["round"] = round.ToString(CultureInfo.InvariantCulture),
                ["debate"] = Debate.Transcript(transcript, anonymiser),
            };
            prompt = template.Render(values);
        }
        catch (PromptTemplateException e)
        {
            return Failed(request, round, FallbackReason.PromptError, e.Message, null);
        }
        var (reply, failure, detail) = await _model.AskAsync(Role, template.Version, request.DecisionTime,
            _model.Request(template.Settings, [new ChatTurn("system", prompt.System), new ChatTurn("user", prompt.User)]), ct).ConfigureAwait(false);
        if (failure is { } reason) return Failed(request, round, reason, detail, template.Version);
        var (argument, conviction, problem) = Read(reply!.Text);
        if (problem is not null) return Failed(request, round, problem.Reason, problem.Detail, template.Version);
        Stats.RecordSuccess();
        return new DebateTurn(Role, round, anonymiser.Restore(argument!), conviction, template.Version);
    }

    /// <summary>Strict: one JSON object with a non-empty argument (at most <see cref="MaxArgument"/> characters) and a conviction in [0, 1], nothing else.</summary>
    internal static (string? Argument, double Conviction, AnswerProblem? Problem) Read(string? text)
    {
        var json = string.IsNullOrWhiteSpace(text) ? null : MindAnswerReader.Unfence(text.Trim());
        if (json is null) return (null, 0, new AnswerProblem(FallbackReason.InvalidJson, "not a single JSON object"));
        try
        {
            using var document = JsonDocument.Parse(json, MindAnswerReader.Strict);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || MindAnswerReader.Extra(root, "argument", "conviction") is not null)
                return (null, 0, new AnswerProblem(FallbackReason.SchemaViolation, "the answer must be {\"argument\", \"conviction\"} only"));
            if (!root.TryGetProperty("argument", out var a) || a.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(a.GetString()))
                return (null, 0, new AnswerProblem(FallbackReason.SchemaViolation, "'argument' must be a non-empty string"));
            if (a.GetString()!.Length > MaxArgument) return (null, 0, new AnswerProblem(FallbackReason.OutOfRange, $"'argument' is longer than {MaxArgument} characters"));
            var (conviction, problem) = MindAnswerReader.Number(root, "conviction", 0, 1);
            return problem is null ? (a.GetString()!.Trim(), conviction, null) : (null, 0, problem);
        }
        catch (JsonException e)
        {
            return (null, 0, new AnswerProblem(FallbackReason.InvalidJson, $"JSON does not parse ({e.Message})"));
        }
    }

    private DebateTurn Failed(SynthesisRequest request, int round, FallbackReason reason, string detail, string? version)
    {
        _parts.CountFailure(reason, request.DecisionTime, $"gave no argument in round {round}", detail);
        return new DebateTurn(Role, round, $"(no argument: {reason})", 0, version, reason);
    }

    public void Dispose() => _model.Dispose();
}
