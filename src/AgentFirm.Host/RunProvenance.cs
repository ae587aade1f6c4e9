using System.Collections;
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AgentFirm.Llm;
using AgentFirm.Models.Sentiment;

namespace AgentFirm.Host;

/// <summary>
/// What produced a report, written as its "provenance" object so a run can be audited and repeated from the report
/// alone: the effective AgentFirm:* configuration (file, then environment, then flags; secrets redacted), the code
/// version (git commit and whether the tree had changes), every input file's SHA-256, the prompt and model versions,
/// the seeds and the command line.
/// </summary>
public static partial class RunProvenance
{
    public const string Redacted = "***redacted***";

    /// <param name="args">The command line as typed, after the executable's name.</param>
    /// <param name="files">Every input file the run read (bars, headlines, on-chain series).</param>
    /// <param name="seeds">Named seeds of the run's random parts (none for a deterministic strategy).</param>
    public static JsonObject Build(AgentFirmSettings settings, IEnumerable<string> args, IEnumerable<string> files, IReadOnlyDictionary<string, long>? seeds = null)
    {
        var llm = settings.Llm();
        return new JsonObject
        {
            ["command_line"] = new JsonArray(args.Select(a => (JsonNode)a).ToArray()),
            // relative paths on the command line and in data_files resolve against it
            ["working_directory"] = RunPaths.WorkingDirectoryInSourceTree(SourceRoot()),
            ["code"] = CodeVersion(),
            ["configuration"] = Configuration(settings, llm),
            ["data_files"] = new JsonArray(files.Distinct().Select(f => (JsonNode)new JsonObject { ["file"] = RunPaths.Relative(f), ["sha256"] = Sha256(f) }).ToArray()),
            ["prompts"] = Prompts(llm.PromptsPath(Environment.CurrentDirectory), MindsOptions.From(settings.Configuration, llm)),
            ["sentiment_model"] = SentimentModel(settings.Sentiment.ModelSpec),
            ["seeds"] = new JsonObject((seeds ?? new Dictionary<string, long>()).Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))),
        };
    }

    /// <summary>
    /// Every AgentFirm:* key as the run saw it, sorted: the raw configuration (appsettings.json, environment) overlaid
    /// with the bound settings, which carry the flags' changes and the defaults of keys nobody set.
    /// </summary>
    public static JsonObject Configuration(AgentFirmSettings settings, LlmOptions llm)
    {
        var values = new SortedDictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in settings.Configuration.AsEnumerable())
            if (key.StartsWith("AgentFirm:", StringComparison.OrdinalIgnoreCase) && value is not null) values[key] = value;
        Flatten("AgentFirm", settings, values);
        Flatten(LlmOptions.Section, llm, values);
        return new JsonObject(values.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)Redact(kv.Key, kv.Value))));
    }

    /// <summary>Secrets by key name (API keys, passwords, tokens, connection strings) and credentials inside URLs.</summary>
    public static string? Redact(string key, string? value)
    {
        if (string.IsNullOrEmpty(value)) return value;
        var last = key[(key.LastIndexOf(':') + 1)..];
        if (SecretKey().IsMatch(last)) return Redacted;
        // and a password inside a connection string under any key (AgentFirm:Cluster:Postgres, AgentFirm:Cluster:Redis)
        return PasswordPair().Replace(UrlCredentials().Replace(value, "${scheme}" + Redacted + "@"), "${key}=" + Redacted);
    }

    [GeneratedRegex(@"(?<key>password|pwd)\s*=\s*[^;,]*", RegexOptions.IgnoreCase)]
    private static partial Regex PasswordPair();

    private static void Flatten(string prefix, object? value, IDictionary<string, string?> into)
    {
        if (value is null) return;
        foreach (var p in value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            // settable properties only: computed views (ModelSpec, Enabled) and the raw IConfiguration are not settings
            if (p.GetIndexParameters().Length > 0 || p.SetMethod is not { IsPublic: true }) continue;
            var key = $"{prefix}:{p.Name}";
            var v = p.GetValue(value);
            var type = Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType;
            if (v is null) { if (IsScalar(type)) into[key] = null; continue; }
            if (IsScalar(type)) into[key] = Scalar(v);
            else if (v is IEnumerable list and not string)
            {
                foreach (var k in into.Keys.Where(k => k.StartsWith(key + ":", StringComparison.OrdinalIgnoreCase)).ToList()) into.Remove(k);
                var i = 0;
                foreach (var item in list) into[$"{key}:{i++}"] = item is null ? null : Scalar(item);
            }
            else if (type.IsClass && type.Namespace?.StartsWith("AgentFirm", StringComparison.Ordinal) == true) Flatten(key, v, into);
        }
    }

    private static bool IsScalar(Type t) =>
        t.IsPrimitive || t.IsEnum || t == typeof(string) || t == typeof(decimal) || t == typeof(TimeSpan) || t == typeof(Uri) || t == typeof(DateTimeOffset);

    private static string Scalar(object v) => v switch
    {
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => v.ToString() ?? "",
    };

    /// <summary>The git commit of the source tree the executable was built in, and whether it had uncommitted changes; "unknown" without git.</summary>
    public static JsonObject CodeVersion()
    {
        var version = typeof(RunProvenance).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        var commit = Git("rev-parse HEAD")?.Trim();
        var status = commit is null ? null : Git("status --porcelain");
        return new JsonObject
        {
            ["commit"] = commit is { Length: 40 } ? commit : "unknown",
            ["dirty"] = status is null ? null : status.Trim().Length > 0,
            ["assembly_version"] = version,
        };
    }

    /// <summary>The root of the git checkout the executable was built in, or null without git.</summary>
    public static string? SourceRoot() => Git("rev-parse --show-toplevel")?.Trim() is { Length: > 0 } root ? root : null;

    private static string? Git(string arguments)
    {
        try
        {
            var start = new ProcessStartInfo("git", arguments)
            {
                WorkingDirectory = AppContext.BaseDirectory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            using var git = Process.Start(start);
            if (git is null) return null;
            var output = git.StandardOutput.ReadToEndAsync();
            _ = git.StandardError.ReadToEndAsync();
            if (!git.WaitForExit(10_000)) { git.Kill(); return null; }
            return git.ExitCode == 0 ? output.Result : null;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException or IOException)
        {
            return null; // no git on this machine
        }
    }

    /// <summary>Each prompt template's version as PromptTemplate computes it (first 12 hex digits of the text's SHA-256).</summary>
    /// <summary>Per role, the content hash of the prompt variant it is configured with (prompts/&lt;role&gt;/&lt;variant&gt;.md), where that file exists.</summary>
    private static JsonObject Prompts(string folder, MindsOptions minds)
    {
        var prompts = new JsonObject();
        var library = new PromptLibrary(folder);
        foreach (var role in minds.Roles.Values.Where(r => File.Exists(library.PathOf(r.Role, r.Prompt))))
        {
            try
            {
                prompts[role.Role] = library.Load(role.Role, role.Prompt).Hash;
            }
            catch (PromptTemplateException)
            {
                // a malformed variant of an offline role: nothing read it, nothing to record
            }
        }
        return prompts;
    }

    private static JsonObject SentimentModel(SentimentModelSpec spec)
    {
        var model = new JsonObject { ["spec"] = spec.ToString() };
        if (spec.Path is { } path && Directory.Exists(path))
            model["files"] = new JsonObject(Directory.EnumerateFiles(path).Order()
                .Select(f => KeyValuePair.Create(Path.GetFileName(f), (JsonNode?)Sha256(f))));
        return model;
    }

    public static string Sha256(string file)
    {
        using var stream = File.OpenRead(file);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    [GeneratedRegex(@"(api_?key|password|passwd|pwd|secret|access_?token|auth_?token|^token|connection_?string|access_?key|credential)s?$", RegexOptions.IgnoreCase)]
    private static partial Regex SecretKey();

    [GeneratedRegex(@"(?<scheme>[a-z][a-z0-9+.-]*://)[^/@\s]+@", RegexOptions.IgnoreCase)]
    private static partial Regex UrlCredentials();
}
