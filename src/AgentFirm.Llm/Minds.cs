using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace AgentFirm.Llm;

/// <summary>Builds the minds the options ask for: the offline mind by default, a Semantic Kernel mind for an endpoint.</summary>
public static class Minds
{
    /// <summary>The prompts a meta-controller model mind reads by default (prompts/&lt;role&gt;/&lt;variant&gt;.md).</summary>
    public static IReadOnlyList<(string Role, string Variant)> PromptRoles { get; } = [(MetaControllerPrompt.Role, PromptLibrary.DefaultVariant)];

    /// <summary>The meta-controller's mind from AgentFirm:Llm alone (every other role offline).</summary>
    /// <param name="workingDirectory">Folder that relative PromptsFolder and cassette paths are resolved against (the process's working directory for the CLI).</param>
    public static IMind Create(LlmOptions options, ILoggerFactory loggers, string workingDirectory, MindStats? stats = null,
        HttpClient? httpClient = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggers);
        options.Validate();
        if (options.Mind == MindKind.Offline) return new OfflineMind();
        options.CheckPrompts(workingDirectory, PromptRoles);
        var run = new RunParts(options, workingDirectory);
        // Mind=Local: the weights load once here (seconds for a large file), so a file llama.cpp refuses fails the run at the start.
        var local = options.Mind == MindKind.Local ? Local.LocalModel.Load(options.Local!, workingDirectory, loggers.CreateLogger<SemanticKernelMind>()) : null;
        return run.Meta(options.Model ?? local!.ModelId, PromptLibrary.DefaultVariant, loggers, stats ?? new MindStats(), httpClient, local);
    }

    /// <summary>Every role's mind from AgentFirm:Minds and AgentFirm:Llm, sharing the run's cassettes and cost meter.</summary>
    public static FirmMinds CreateFirm(MindsOptions options, ILoggerFactory loggers, string workingDirectory, MindStats? metaStats = null,
        HttpClient? httpClient = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggers);
        options.Llm.Validate();
        options.CheckPrompts(workingDirectory);
        metaStats ??= new MindStats();
        if (!options.AnyModel) return new FirmMinds(new OfflineMind(), metaStats, new Dictionary<string, IAnalystMind>(), LlmCosts.None, options.Llm, null);
        var run = new RunParts(options.Llm, workingDirectory);
        var meta = options[MindRoles.MetaController];
        IMind metaMind = meta.Mind switch
        {
            MindKind.Offline => new OfflineMind(),
            MindKind.OpenAI => run.Meta(meta.Model!, meta.Prompt, loggers, metaStats, httpClient),
            _ => Create(options.Llm with { Mind = meta.Mind, Model = meta.Model }, loggers, workingDirectory, metaStats, httpClient),
        };
        var analysts = new Dictionary<string, IAnalystMind>(StringComparer.Ordinal);
        foreach (var role in MindRoles.Analysts.Select(r => options[r]).Where(r => r.UsesModel))
        {
            var logger = loggers.CreateLogger($"AgentFirm.Llm.{role.Role}");
            analysts[role.Role] = new ModelAnalystMind(run.Parts(role, logger, httpClient));
        }
        Debate? debate = null;
        if (options.Debates)
        {
            ResearcherMind Researcher(RoleMind role)
            {
                return new ResearcherMind(run.Parts(role, loggers.CreateLogger($"AgentFirm.Llm.{role.Role}"), httpClient));
            }
            debate = new Debate(Researcher(options[MindRoles.Bull]), Researcher(options[MindRoles.Bear]), options.Llm.DebateRounds);
        }
        return new FirmMinds(metaMind, metaStats, analysts, run.Costs, options.Llm, run.Cassettes) { Debate = debate };
    }

    /// <summary>What every model mind of one run shares: the prompts folder, the cassettes, the cost meter.</summary>
    private sealed class RunParts(LlmOptions options, string workingDirectory)
    {
        public PromptLibrary Prompts { get; } = new(options.PromptsPath(workingDirectory));
        public CassetteStore? Cassettes { get; } = options.CassetteFile(workingDirectory) is { } file ? new CassetteStore(file) : null;
        public LlmCosts Costs { get; } = new(options.Prices, options.BudgetPerRun);

        /// <summary>A role's mind parts: its own model and counts over the run's prompts, cassettes and cost meter.</summary>
        public MindParts Parts(RoleMind role, ILogger logger, HttpClient? httpClient) =>
            new(role.Role, role.Prompt, options, Prompts, new ChatModel(options, role.Model!, logger, new MindStats(), Cassettes, Costs, httpClient), logger);

        public SemanticKernelMind Meta(string model, string variant, ILoggerFactory loggers, MindStats stats, HttpClient? httpClient, Local.LocalModel? local = null)
        {
            var logger = loggers.CreateLogger<SemanticKernelMind>();
            logger.LogInformation("LLM mind: {Options}, prompts from {Prompts}", options with { Model = model }, Prompts.Folder); // ToString hides the key
            return new SemanticKernelMind(options with { Mind = local is null ? MindKind.OpenAI : MindKind.Local, Model = model }, Prompts, logger, Cassettes, stats,
                httpClient, variant, model, Costs, local);
        }
    }
}

/// <summary>
/// The minds of one firm run: the meta-controller's, the analysts' that think with a model (the others keep their
/// quantitative views), the run's cost meter and cassettes, and the counts a run's summary shows.
/// </summary>
public sealed class FirmMinds(IMind metaController, MindStats metaStats, IReadOnlyDictionary<string, IAnalystMind> analysts,
    LlmCosts costs, LlmOptions options, CassetteStore? cassettes) : IDisposable
{
    public static FirmMinds Offline() => new(new OfflineMind(), new MindStats(), new Dictionary<string, IAnalystMind>(), LlmCosts.None, new LlmOptions(), null);

    public IMind MetaController { get; } = metaController;
    public MindStats MetaStats { get; } = metaStats;
    /// <summary>Analyst minds by role; only the roles that think with a model.</summary>
    public IReadOnlyDictionary<string, IAnalystMind> Analysts { get; } = analysts;
    public LlmCosts Costs { get; } = costs;
    public CassetteStore? Cassettes { get; } = cassettes;
    public LlmMode Mode => options.EffectiveMode;

    /// <summary>The bull/bear debate the meta-controller hears before deciding; null when the researchers are offline.</summary>
    public Debate? Debate { get; init; }

    /// <summary>Anonymises the debate like the meta-controller's prompt (same aliases for the same request).</summary>
    public PromptAnonymiser AnonymiserFor(SynthesisRequest request) => PromptAnonymiser.For(request, options.Anonymise);

    public bool AnyModel => MetaController is not OfflineMind || Analysts.Count > 0 || Debate is not null;

    private IEnumerable<(string Role, MindStats Stats)> Others() =>
        Analysts.Select(a => (a.Key, a.Value.Stats))
            .Concat(Debate is null ? [] : [(Debate.Bull.Role, Debate.Bull.Stats), (Debate.Bear.Role, Debate.Bear.Stats)])
            .OrderBy(r => r.Item1, StringComparer.Ordinal);

    /// <summary>The first call a replay did not find in the cassettes (the run is not a reproduction); null when none.</summary>
    public string? ReplayMiss => Cassettes?.FirstMiss;

    /// <summary>
    /// How long an analyst mind may take at worst: every try of the call and of its one repair, with the back-off.
    /// The meta-controller's deadline for the analysts must allow it, or a slow model would drop every analyst.
    /// </summary>
    public TimeSpan AnalystLatencyBound =>
        Analysts.Count == 0 ? TimeSpan.Zero : 2 * (options.Timeout * options.MaxAttempts + options.RetryDelay * (Math.Pow(2, options.MaxAttempts) - 1));

    /// <summary>The summary lines: the meta-controller's counts, each analyst's, the cost line (when any model thinks).</summary>
    public IEnumerable<string> Describe()
    {
        if (MetaController is not OfflineMind) yield return MetaStats.Describe();
        foreach (var (role, stats) in Others())
            yield return stats.Describe(role);
        if (AnyModel) yield return Costs.Describe() + (Mode == LlmMode.Live ? "" : $"; cassettes {Mode.ToString().ToLowerInvariant()} ({Cassettes?.Path})");
    }

    /// <summary>Loud lines for minds that fell back (or abstained) on most of their calls.</summary>
    public IEnumerable<string> Alarms()
    {
        if (MetaController is not OfflineMind && MetaStats.Alarm() is { } meta) yield return meta;
        foreach (var (role, stats) in Others())
            if (stats.Alarm(role) is { } alarm) yield return alarm;
    }

    /// <summary>report.json's "minds" section: per role counts, and the cost.</summary>
    public JsonObject ToJson()
    {
        var roles = new JsonObject();
        if (MetaController is not OfflineMind) roles[MindRoles.MetaController] = MetaStats.ToJson();
        foreach (var (role, stats) in Others()) roles[role] = stats.ToJson();
        return new JsonObject { ["mode"] = Mode.ToString().ToLowerInvariant(), ["roles"] = roles, ["debate_rounds"] = Debate?.Rounds ?? 0, ["cost"] = Costs.ToJson() };
    }

    public void Dispose()
    {
        (MetaController as IDisposable)?.Dispose();
        foreach (var mind in Analysts.Values) (mind as IDisposable)?.Dispose();
        Debate?.Dispose();
    }
}
