namespace AgentFirm.Host;

/// <summary>
/// How reports and console lines name files: relative to the directory the command was started in, with '/'
/// separators, so a report says what the user typed against and never carries one machine's absolute layout.
/// </summary>
public static class RunPaths
{
    public static string Relative(string path) =>
        Path.GetRelativePath(Environment.CurrentDirectory, Path.GetFullPath(path)).Replace(Path.DirectorySeparatorChar, '/');

    /// <summary>
    /// Where the command was started, relative to the root of the source tree the executable was built from
    /// ("." for the checkout's root); null when it was started outside that tree.
    /// </summary>
    public static string? WorkingDirectoryInSourceTree(string? sourceRoot)
    {
        if (sourceRoot is null) return null;
        var relative = Path.GetRelativePath(sourceRoot, Environment.CurrentDirectory);
        return relative == ".." || relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal) || Path.IsPathRooted(relative)
            ? null
            : relative.Replace(Path.DirectorySeparatorChar, '/');
    }
}
