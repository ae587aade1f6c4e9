using Microsoft.Extensions.Configuration;

namespace AgentFirm.Llm;

/// <summary>How much model a role gets: quick (cheap, many calls) or deep (the synthesis, the debate).</summary>
public enum ModelTier { Quick, Deep }

public static class ModelTiers
{
    public static ModelTier? Parse(string text) => text.Trim().ToLowerInvariant() switch
    {
        "quick" => ModelTier.Quick,
        "deep" => ModelTier.Deep,
        _ => null,
    };
}

/// <summary>The firm's roles that can think with a model, by the names their prompts folders and views carry.</summary>
public static class MindRoles
{
    public const string Technical = "technical";
    public const string Sentiment = "sentiment";
    public const string OnChain = "onchain";
    public const string Causal = "causal";
    public const string Strategic = "strategic";
    public const string MetaController = "meta-controller";
    public const string Bull = "bull";
    public const string Bear = "bear";

    public static IReadOnlyList<string> All { get; } = [Technical, Sentiment, OnChain, Causal, Strategic, MetaController, Bull, Bear];

    /// <summary>The analysts whose minds answer the AgentView schema (their quantitative view is the fallback).</summary>
    public static IReadOnlyList<string> Analysts { get; } = [Technical, Sentiment, OnChain, Causal];

    /// <summary>
    /// The role a configuration key names: "MetaController", "meta-controller" and "metacontroller" are the same
    /// role (environment variables cannot spell a hyphen everywhere); null for no role.
    /// </summary>
    public static string? FromKey(string key)
    {
        var plain = key.Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal);
        return All.FirstOrDefault(r => string.Equals(r.Replace("-", "", StringComparison.Ordinal), plain, StringComparison.OrdinalIgnoreCase));
    }
}

/// <summary>One role's mind as configured: which kind, which model and tier, which prompt variant.</summary>
public sealed record RoleMind(string Role, MindKind Mind, string? Model, ModelTier Tier, string Prompt)
{
    public bool UsesModel => Mind != MindKind.Offline;

    /// <summary>The configuration key of this role's settings, e.g. AgentFirm:Minds:technical.</summary>
    public string Key => $"{MindsOptions.Section}:{Role}";
}

/// <summary>
/// <c>AgentFirm:Minds:&lt;Role&gt;</c>: Mind (Offline | OpenAI), Model, Tier (quick | deep), Prompt (variant) per role.
/// Every role is Offline unless configured, except the meta-controller, which keeps <c>AgentFirm:Llm:Mind</c> and
/// <c>Model</c> (how it was configured before roles had minds). Connection, retry, cassette and cost settings are
/// shared: <c>AgentFirm:Llm</c>. Read and checked before any data loads; errors name the key.
/// </summary>
public sealed class MindsOptions
{
    public const string Section = "AgentFirm:Minds";
    private static readonly string[] RoleKeys = ["Mind", "Model", "Tier", "Prompt"];
    // Sections under AgentFirm:Minds that are not roles: the embedded model's own settings.
    private static readonly string[] NotRoles = ["Local"];

    private MindsOptions(LlmOptions llm, IReadOnlyDictionary<string, RoleMind> roles)
    {
        Llm = llm;
        Roles = roles;
    }

    public LlmOptions Llm { get; }

    /// <summary>Every role, configured or not.</summary>
    public IReadOnlyDictionary<string, RoleMind> Roles { get; }

    public RoleMind this[string role] => Roles[role];

    public bool AnyModel => Roles.Values.Any(r => r.UsesModel);

    /// <summary>The options of the meta-controller and the analysts from configuration; <paramref name="llm"/> is the checked AgentFirm:Llm.</summary>
    public static MindsOptions From(IConfiguration configuration, LlmOptions llm)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(llm);
        var configured = new Dictionary<string, IConfigurationSection>(StringComparer.Ordinal);
        foreach (var child in configuration.GetSection(Section).GetChildren())
        {
            if (NotRoles.Contains(child.Key, StringComparer.OrdinalIgnoreCase)) continue;
            var role = MindRoles.FromKey(child.Key)
                ?? throw Invalid(child.Key, $"is not a role; the roles are {string.Join(", ", MindRoles.All)}");
            if (!configured.TryAdd(role, child)) throw Invalid(child.Key, $"configures {role} a second time");
        }
        var roles = new Dictionary<string, RoleMind>(StringComparer.Ordinal);
        foreach (var role in MindRoles.All)
            roles[role] = Read(role, configured.GetValueOrDefault(role), llm);
        CheckDebate(roles);
        return new MindsOptions(llm, roles);
    }

    /// <summary>Every role offline except the meta-controller as AgentFirm:Llm says (for callers without configuration).</summary>
    public static MindsOptions MetaOnly(LlmOptions llm) =>
        From(new ConfigurationBuilder().Build(), llm);

    private static RoleMind Read(string role, IConfigurationSection? section, LlmOptions llm)
    {
        var isMeta = role == MindRoles.MetaController;
        var mind = isMeta ? llm.Mind : MindKind.Offline;
        string? model = isMeta ? llm.Model : null;
        ModelTier? tier = null;
        var prompt = PromptLibrary.DefaultVariant;
        if (section is not null)
        {
            foreach (var setting in section.GetChildren())
                if (!RoleKeys.Contains(setting.Key, StringComparer.OrdinalIgnoreCase))
                    throw Invalid($"{section.Key}:{setting.Key}", $"is not a setting of a mind; use {string.Join(", ", RoleKeys)}");
            if (section["Mind"] is { Length: > 0 } kind)
                mind = Enum.TryParse<MindKind>(kind, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !int.TryParse(kind, out _)
                    ? parsed : throw Invalid($"{section.Key}:Mind", $"'{kind}' is not one of: {string.Join(", ", Enum.GetNames<MindKind>())}");
            if (section["Model"] is { Length: > 0 } m) model = m;
            if (section["Tier"] is { Length: > 0 } t)
                tier = ModelTiers.Parse(t) ?? throw Invalid($"{section.Key}:Tier", $"'{t}' is not quick or deep");
            if (section["Prompt"] is { Length: > 0 } p)
            {
                if (p.IndexOfAny(['/', '\\', '.']) >= 0 || p.Trim() != p) throw Invalid($"{section.Key}:Prompt", $"'{p}' is not a variant name (a file name in prompts/{role}/ without .md)");
                prompt = p;
            }
        }
        var key = section?.Key ?? role;
        var resolvedTier = tier ?? (isMeta ? ModelTier.Deep : ModelTier.Quick);
        if (mind == MindKind.Offline) return new RoleMind(role, mind, model, resolvedTier, prompt);
        // Other kinds (an embedded model) are built by Minds.Create for the meta-controller, with their own checks.
        if (mind != MindKind.OpenAI && isMeta) return new RoleMind(role, mind, model, resolvedTier, prompt);
        if (mind != MindKind.OpenAI) throw Invalid($"{key}:Mind", $"{mind} is not available for the {role} role yet; use Offline or OpenAI");
        if (role is MindRoles.Strategic)
            throw Invalid($"{key}:Mind", $"the {role} role has no model mind yet; leave it Offline");
        try
        {
            llm.CheckEndpoint($"{Section}:{key}:Mind={mind}");
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidOperationException($"{Section}:{key}:Mind is {mind}, but {e.Message}", e);
        }
        model ??= resolvedTier == ModelTier.Deep && !string.IsNullOrWhiteSpace(llm.DeepModel) ? llm.DeepModel : llm.Model;
        if (string.IsNullOrWhiteSpace(model)) throw Invalid($"{key}:Model", $"is required for Mind={mind} (or set {LlmOptions.Section}:Model)");
        return new RoleMind(role, mind, model, resolvedTier, prompt);
    }

    /// <summary>The debate needs both researchers, and the meta-controller's mind to decide with the transcript.</summary>
    private static void CheckDebate(IReadOnlyDictionary<string, RoleMind> roles)
    {
        var (bull, bear) = (roles[MindRoles.Bull], roles[MindRoles.Bear]);
        if (!bull.UsesModel && !bear.UsesModel) return;
        var alone = bull.UsesModel ? bear : bull;
        if (!alone.UsesModel) throw Invalid($"{alone.Role}:Mind", $"is Offline, but the debate needs both bull and bear with a model mind");
        if (!roles[MindRoles.MetaController].UsesModel)
            throw Invalid($"{MindRoles.Bull}:Mind", $"starts a debate, but the meta-controller that decides with its transcript is Offline (set {LlmOptions.Section}:Mind or {Section}:MetaController:Mind)");
    }

    /// <summary>The debate takes place when both researchers think with a model.</summary>
    public bool Debates => Roles[MindRoles.Bull].UsesModel && Roles[MindRoles.Bear].UsesModel;

    /// <summary>
    /// Loads the prompt of every role with a model mind (a missing or malformed file names the role's Prompt key),
    /// and checks that its output schema fits the role and every model used has a price when a budget is set.
    /// </summary>
    public void CheckPrompts(string workingDirectory)
    {
        foreach (var role in Roles.Values.Where(r => r.UsesModel))
        {
            var template = Llm.CheckPromptFiles(workingDirectory, [(role.Role, role.Prompt)], $"{Section}:{role.Role}:Prompt")[0];
            var wanted = role.Role switch
            {
                MindRoles.MetaController => PromptOutput.Targets,
                MindRoles.Bull or MindRoles.Bear => PromptOutput.Argument,
                _ => PromptOutput.AgentView,
            };
            if (template.Settings.Output != wanted)
                throw Invalid($"{role.Role}:Prompt", $"{template.Path} answers '{template.Settings.Output}', but the {role.Role} role needs '{wanted}'");
            if (Llm.BudgetPerRun is not null && !Llm.Prices.Any(p => p.Model == role.Model))
                throw new InvalidOperationException($"{LlmOptions.Section}:Prices has no price for model '{role.Model}' ({role.Key}), and BudgetPerRun is set: a budget cannot be kept without one.");
        }
    }

    private static InvalidOperationException Invalid(string key, string problem) => new($"{Section}:{key} {problem}.");
}
