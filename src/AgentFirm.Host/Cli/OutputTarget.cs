using System.CommandLine;
using AgentFirm.Core;

namespace AgentFirm.Host.Cli;

/// <summary>
/// The one rule every verb that writes follows: it never replaces what is already there unless --force says so,
/// and a file where a folder is expected (or the reverse) is refused before any work is done.
/// </summary>
public static class OutputTarget
{
    public static Option<bool> ForceOption() => new("--force") { Description = "Replace the --out target if it already exists (and, for a folder, is not empty)." };

    /// <summary>Checks a folder to be written (a report folder, a model folder); call it before loading any data.</summary>
    public static void Folder(string path, bool force, string flag = "--out")
    {
        if (System.IO.File.Exists(path)) throw new BadInputException($"{flag} '{path}' is a file; give a folder to write the results into.");
        if (!force && Directory.Exists(path) && Directory.EnumerateFileSystemEntries(path).Any())
            throw new BadInputException($"{flag} '{path}' exists and is not empty; pass --force to replace it.");
    }

    /// <summary>Checks a file to be written (a CSV, graph.json); <paramref name="companions"/> are files written beside it (graph.svg).</summary>
    public static void File(string path, bool force, string flag = "--out", params string[] companions)
    {
        if (Directory.Exists(path)) throw new BadInputException($"{flag} '{path}' is a folder; give a file name.");
        if (force) return;
        foreach (var file in companions.Prepend(path))
            if (System.IO.File.Exists(file))
                throw new BadInputException($"{flag}: '{file}' exists; pass --force to replace it.");
    }
}
