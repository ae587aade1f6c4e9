namespace AgentFirm.Quant.Reporting;

/// <summary>
/// Writes a report folder all or nothing: the files go into a hidden sibling, which then takes the folder's
/// place in two renames, so a failed run never leaves a half-written report or loses the previous one.
/// </summary>
internal static class ReportFolder
{
    public static void Write(string outDir, Action<string> fill)
    {
        var target = Path.GetFullPath(outDir);
        var parent = Path.GetDirectoryName(target) ?? throw new ArgumentException($"Bad output folder '{outDir}'.");
        Directory.CreateDirectory(parent);
        var temp = Path.Combine(parent, $".{Path.GetFileName(target)}.tmp-{Guid.NewGuid():N}");
        Directory.CreateDirectory(temp);
        try
        {
            fill(temp);
            if (Directory.Exists(target))
            {
                var old = target + $".old-{Guid.NewGuid():N}";
                Directory.Move(target, old);
                Directory.Move(temp, target);
                Directory.Delete(old, recursive: true);
            }
            else Directory.Move(temp, target);
        }
        catch
        {
            if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
            throw;
        }
    }
}
