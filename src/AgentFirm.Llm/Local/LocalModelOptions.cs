using Microsoft.Extensions.Configuration;

namespace AgentFirm.Llm.Local;

/// <summary>
/// Settings of the embedded model, section <c>AgentFirm:Minds:Local</c> (env: <c>AgentFirm__Minds__Local__ModelPath</c>):
/// a GGUF file on this machine run in process by llama.cpp, no server.
/// </summary>
public sealed class LocalModelOptions
{
    public const string Section = "AgentFirm:Minds:Local";

    /// <summary>The GGUF file; a relative path is resolved against the working directory.</summary>
    public string? ModelPath { get; init; }
    /// <summary>Tokens of prompt plus answer the model keeps in view (llama.cpp raises anything below 256 to 256).</summary>
    public int ContextSize { get; init; } = 4096;
    /// <summary>CPU threads for generation; 0 = one per core.</summary>
    public int Threads { get; init; }
    /// <summary>Sampling seed: the same seed, model, prompt and settings give the same answer.</summary>
    public int Seed { get; init; } = 42;
    /// <summary>Most tokens in one answer; the grammar bounds JSON answers, this bounds everything else.</summary>
    public int MaxTokens { get; init; } = 1024;

    /// <summary>Reads the section and checks its values (not the file: see <see cref="CheckModelFile"/>).</summary>
    public static LocalModelOptions From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = configuration.GetSection(Section).Get<LocalModelOptions>() ?? new LocalModelOptions();
        options.Validate();
        return options;
    }

    /// <summary>Throws naming the key.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(ModelPath)) throw Invalid("ModelPath", "is required for Mind=Local (a GGUF model file, e.g. models/qwen2.5-0.5b-instruct-q8_0.gguf)");
        if (ContextSize is < 256 or > 1 << 20) throw Invalid("ContextSize", "must be in [256, 1048576]");
        if (Threads is < 0 or > 1024) throw Invalid("Threads", "must be in [0, 1024] (0 = one per core)");
        if (MaxTokens is < 1 or > 1 << 20) throw Invalid("MaxTokens", "must be in [1, 1048576]");
    }

    /// <summary>The model file as an absolute path: a relative <see cref="ModelPath"/> against <paramref name="workingDirectory"/>.</summary>
    public string ModelFile(string workingDirectory) => Path.GetFullPath(ModelPath!, Path.GetFullPath(workingDirectory));

    /// <summary>
    /// Reads the file's GGUF header, metadata and tensor table (not the weights), so a missing, truncated or
    /// foreign file is an error naming the key and the path before any market data loads.
    /// </summary>
    public GgufSummary CheckModelFile(string workingDirectory)
    {
        var file = ModelFile(workingDirectory);
        try
        {
            return GgufFile.Inspect(file);
        }
        catch (FileNotFoundException)
        {
            throw Invalid("ModelPath", $"'{ModelPath}' resolves to {file}, which does not exist");
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            throw Invalid("ModelPath", $"'{ModelPath}' resolves to {file}, which is not a usable GGUF model ({(e.InnerException is InvalidDataException inner ? inner.Message : e.Message)})");
        }
    }

    public override string ToString() => $"ModelPath={ModelPath}, ContextSize={ContextSize}, Threads={Threads}, Seed={Seed}, MaxTokens={MaxTokens}";

    private static InvalidOperationException Invalid(string key, string problem) => new($"{Section}:{key} {problem}.");
}
