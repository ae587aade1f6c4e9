using Xunit;

namespace AgentFirm.TestSupport;

/// <summary>
/// Locates ../shared/data (beside the checkout) or the folder named by AGENTFIRM_SHARED_DATA.
/// Tests that need it call <see cref="RequireFile"/>, which skips them with a message when it is absent.
/// </summary>
public static class SharedData
{
    public static string? Root { get; } = Locate();

    public static bool Available => Root is not null;

    /// <summary>Path under the shared data folder; skips the calling test when the file is not there.</summary>
    public static string RequireFile(string relativePath)
    {
        Skip.If(Root is null, "../shared/data is not present beside this checkout (set AGENTFIRM_SHARED_DATA to point at it); skipping a real-data test.");
        var path = Path.Combine(Root!, relativePath);
        Skip.IfNot(File.Exists(path), $"{path} is not present; skipping a real-data test.");
        return path;
    }

    private static string? Locate()
    {
        var env = Environment.GetEnvironmentVariable("AGENTFIRM_SHARED_DATA");
        if (!string.IsNullOrEmpty(env)) return Directory.Exists(env) ? Path.GetFullPath(env) : null;
        var repo = RepoRoot.Path;
        if (repo is null) return null;
        var candidate = System.IO.Path.GetFullPath(System.IO.Path.Combine(repo, "..", "shared", "data"));
        return Directory.Exists(candidate) ? candidate : null;
    }
}

/// <summary>The checkout's root: the nearest ancestor of the test binaries holding AgentFirm.sln.</summary>
public static class RepoRoot
{
    public static string? Path { get; } = Find();

    private static string? Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "AgentFirm.sln"))) return dir.FullName;
        return null;
    }
}

/// <summary>A fresh folder under the system temp directory, deleted on dispose.</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "agentfirm-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { /* best effort: a leftover temp folder must not fail a test */ }
    }
}
