using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace AgentFirm.Llm;

/// <summary>A prompt file could not be read, split or filled; the message names the file and the problem.</summary>
public sealed class PromptTemplateException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>A filled prompt: the system message and the user message.</summary>
public sealed record RenderedPrompt(string System, string User);

/// <summary>What a prompt's answer must look like: the meta-controller's targets or an analyst's AgentView list.</summary>
public enum PromptOutput
{
    /// <summary><c>{"targets":[{symbol,direction,confidence}],"rationale"}</c> (<see cref="MindAnswerReader"/>).</summary>
    Targets,
    /// <summary><c>{"views":[{symbol,direction,confidence,horizon_hours,falsification_price,rationale,evidence}]}</c> (<see cref="AgentViewReader"/>).</summary>
    AgentView,
    /// <summary><c>{"argument","conviction"}</c>: a bull or bear researcher's turn in the debate (<see cref="ResearcherMind"/>).</summary>
    Argument,
}

/// <summary>
/// A variant's front matter: what it is for and the model settings it was written for. They are part of the
/// file, so part of its version: a variant that needs a warmer temperature says so itself.
/// </summary>
public sealed record PromptSettings(string Description, string? Tier, double? Temperature, int? MaxTokens, PromptOutput Output);

/// <summary>
/// One variant of one role's prompt, <c>prompts/&lt;role&gt;/&lt;variant&gt;.md</c>: YAML-style front matter between
/// <c>---</c> lines (description, tier, temperature, max_tokens, output), then the system part after a
/// <c>&lt;!-- system --&gt;</c> line and the user part after a <c>&lt;!-- user --&gt;</c> line (HTML comments, so the
/// file still reads as markdown). <c>{{name}}</c> placeholders are filled from values.
/// </summary>
public sealed partial class PromptTemplate
{
    private PromptTemplate(string role, string variant, string path, PromptSettings settings, string system, string user, string hash)
    {
        Role = role;
        Variant = variant;
        Path = path;
        Settings = settings;
        System = system;
        User = user;
        Hash = hash;
    }

    public string Role { get; }
    public string Variant { get; }
    public string Path { get; }
    public PromptSettings Settings { get; }
    public string System { get; }
    public string User { get; }
    /// <summary>First 12 hex digits of the file's SHA-256.</summary>
    public string Hash { get; }
    /// <summary>Which prompt produced an answer: role, variant and content hash, e.g. <c>meta-controller/baseline@3f2a9c01b7de</c>.</summary>
    public string Version => $"{Role}/{Variant}@{Hash}";

    private static readonly string[] FrontMatterKeys = ["description", "tier", "temperature", "max_tokens", "output"];

    internal static PromptTemplate Parse(string role, string variant, string path, string text)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..12];
        var (settings, body) = FrontMatter(path, text.Replace("\r\n", "\n", StringComparison.Ordinal));
        const string systemMarker = "<!-- system -->", userMarker = "<!-- user -->";
        var s = body.IndexOf(systemMarker, StringComparison.Ordinal);
        var u = body.IndexOf(userMarker, StringComparison.Ordinal);
        if (s < 0 || u < 0 || u < s)
            throw new PromptTemplateException($"{path}: expected a '{systemMarker}' line followed by a '{userMarker}' line.");
        var system = body[(s + systemMarker.Length)..u].Trim();
        var user = body[(u + userMarker.Length)..].Trim();
        if (system.Length == 0 || user.Length == 0)
            throw new PromptTemplateException($"{path}: the system and user parts must not be empty.");
        return new PromptTemplate(role, variant, path, settings, system, user, hash);
    }

    /// <summary>The front matter (required: a variant must say what it is) and the text after it.</summary>
    private static (PromptSettings, string Body) FrontMatter(string path, string text)
    {
        if (!text.StartsWith("---\n", StringComparison.Ordinal))
            throw new PromptTemplateException($"{path}: a prompt starts with front matter between '---' lines (description, tier, temperature, max_tokens, output).");
        var end = text.IndexOf("\n---\n", 3, StringComparison.Ordinal);
        if (end < 0) throw new PromptTemplateException($"{path}: the front matter has no closing '---' line.");
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in text[4..end].Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var colon = line.IndexOf(':');
            var key = colon > 0 ? line[..colon].Trim() : "";
            if (!FrontMatterKeys.Contains(key))
                throw new PromptTemplateException($"{path}: front matter line '{line}' is not one of {string.Join(", ", FrontMatterKeys)} followed by ':'.");
            if (!values.TryAdd(key, line[(colon + 1)..].Trim().Trim('"')))
                throw new PromptTemplateException($"{path}: front matter key '{key}' appears twice.");
        }
        if (!values.TryGetValue("description", out var description) || description.Length == 0)
            throw new PromptTemplateException($"{path}: the front matter needs a description.");
        var tier = values.GetValueOrDefault("tier");
        if (tier is not null && ModelTiers.Parse(tier) is null)
            throw new PromptTemplateException($"{path}: tier '{tier}' is not quick or deep.");
        double? temperature = null;
        if (values.TryGetValue("temperature", out var t))
            temperature = double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) && parsed is >= 0 and <= 2
                ? parsed : throw new PromptTemplateException($"{path}: temperature '{t}' is not a number in [0, 2].");
        int? maxTokens = null;
        if (values.TryGetValue("max_tokens", out var m))
            maxTokens = int.TryParse(m, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed > 0
                ? parsed : throw new PromptTemplateException($"{path}: max_tokens '{m}' is not a positive whole number.");
        var output = values.GetValueOrDefault("output") switch
        {
            "targets" => PromptOutput.Targets,
            "agent-view" => PromptOutput.AgentView,
            "argument" => PromptOutput.Argument,
            var other => throw new PromptTemplateException($"{path}: output '{other}' is not targets, agent-view or argument."),
        };
        return (new PromptSettings(description, tier, temperature, maxTokens, output), text[(end + 5)..]);
    }

    /// <summary>
    /// Fills every placeholder in one pass, so a value that itself contains <c>{{...}}</c> (a headline, say)
    /// is never expanded. A placeholder without a value is an error: a silently empty prompt is worse.
    /// </summary>
    public RenderedPrompt Render(IReadOnlyDictionary<string, string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return new RenderedPrompt(Fill(System, values), Fill(User, values));
    }

    private string Fill(string part, IReadOnlyDictionary<string, string> values) =>
        Placeholder().Replace(part, m => values.TryGetValue(m.Groups[1].Value, out var value)
            ? value
            : throw new PromptTemplateException($"{Path}: no value for placeholder {{{{{m.Groups[1].Value}}}}}."));

    [GeneratedRegex(@"\{\{\s*([A-Za-z0-9_]+)\s*\}\}")]
    private static partial Regex Placeholder();
}

/// <summary>
/// Loads prompt variants (<c>&lt;role&gt;/&lt;variant&gt;.md</c>) from a folder at run time, so prompts change without a
/// rebuild: every call reads the file again.
/// </summary>
public sealed class PromptLibrary(string folder)
{
    public const string DefaultVariant = "baseline";

    public string Folder { get; } = System.IO.Path.GetFullPath(folder);

    /// <summary>The file of a role's variant; throws for a name that could leave the folder.</summary>
    public string PathOf(string role, string variant)
    {
        CheckName(role, "role");
        CheckName(variant, "variant");
        return System.IO.Path.Combine(Folder, role, variant + ".md");
    }

    public async Task<PromptTemplate> LoadAsync(string role, string variant, CancellationToken ct)
    {
        var path = PathOf(role, variant);
        string text;
        try
        {
            text = await File.ReadAllTextAsync(path, Encoding.UTF8, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PromptTemplateException($"{path}: cannot read the prompt ({e.GetType().Name}: {e.Message}).", e);
        }
        return PromptTemplate.Parse(role, variant, path, text);
    }

    public PromptTemplate Load(string role, string variant) => LoadAsync(role, variant, CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>The roles with a folder here, in name order.</summary>
    public IReadOnlyList<string> Roles() => Directory.Exists(Folder)
        ? Directory.EnumerateDirectories(Folder).Select(d => System.IO.Path.GetFileName(d)!).Order(StringComparer.Ordinal).ToArray()
        : [];

    /// <summary>A role's variants (file names without .md), in name order.</summary>
    public IReadOnlyList<string> Variants(string role)
    {
        CheckName(role, "role");
        var dir = System.IO.Path.Combine(Folder, role);
        return Directory.Exists(dir)
            ? Directory.EnumerateFiles(dir, "*.md").Select(f => System.IO.Path.GetFileNameWithoutExtension(f)).Order(StringComparer.Ordinal).ToArray()
            : [];
    }

    private static void CheckName(string name, string what)
    {
        if (string.IsNullOrWhiteSpace(name) || name.IndexOfAny(['/', '\\', '.']) >= 0 || name.Trim() != name)
            throw new PromptTemplateException($"'{name}' is not a prompt {what} name.");
    }
}
