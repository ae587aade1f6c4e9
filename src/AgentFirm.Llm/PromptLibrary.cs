using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace AgentFirm.Llm;

/// <summary>A prompt file could not be read, split or filled; the message names the file and the problem.</summary>
public sealed class PromptTemplateException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>A filled prompt: the system message and the user message.</summary>
public sealed record RenderedPrompt(string System, string User);

/// <summary>
/// One role's template. The file holds the system part after a <c>&lt;!-- system --&gt;</c> line and the user
/// part after a <c>&lt;!-- user --&gt;</c> line (HTML comments, so the file still reads as markdown);
/// <c>{{name}}</c> placeholders are filled from values.
/// </summary>
public sealed partial class PromptTemplate
{
    private PromptTemplate(string name, string path, string system, string user, string version)
    {
        Name = name;
        Path = path;
        System = system;
        User = user;
        Version = version;
    }

    public string Name { get; }
    public string Path { get; }
    public string System { get; }
    public string User { get; }
    /// <summary>First 12 hex digits of the file's SHA-256: which prompt version produced an answer.</summary>
    public string Version { get; }

    internal static PromptTemplate Parse(string name, string path, string text)
    {
        const string systemMarker = "<!-- system -->", userMarker = "<!-- user -->";
        var s = text.IndexOf(systemMarker, StringComparison.Ordinal);
        var u = text.IndexOf(userMarker, StringComparison.Ordinal);
        if (s < 0 || u < 0 || u < s)
            throw new PromptTemplateException($"{path}: expected a '{systemMarker}' line followed by a '{userMarker}' line.");
        var system = text[(s + systemMarker.Length)..u].Trim();
        var user = text[(u + userMarker.Length)..].Trim();
        if (system.Length == 0 || user.Length == 0)
            throw new PromptTemplateException($"{path}: the system and user parts must not be empty.");
        var version = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..12];
        return new PromptTemplate(name, path, system, user, version);
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

/// <summary>Loads prompt templates (<c>{role}.md</c>) from a folder at run time, so prompts change without a rebuild.</summary>
public sealed class PromptLibrary(string folder)
{
    public string Folder { get; } = System.IO.Path.GetFullPath(folder);

    public async Task<PromptTemplate> LoadAsync(string role, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(role) || role.IndexOfAny(['/', '\\', '.']) >= 0)
            throw new PromptTemplateException($"'{role}' is not a prompt role name.");
        var path = System.IO.Path.Combine(Folder, role + ".md");
        string text;
        try
        {
            text = await File.ReadAllTextAsync(path, Encoding.UTF8, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PromptTemplateException($"{path}: cannot read the prompt ({e.GetType().Name}: {e.Message}).", e);
        }
        return PromptTemplate.Parse(role, path, text);
    }
}
