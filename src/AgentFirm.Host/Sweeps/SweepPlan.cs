using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace AgentFirm.Host.Sweeps;

/// <summary>
/// One run of a sweep: the grid point it stands for, its stable key (how a resumed sweep recognises it), the folder its
/// report goes to, and what a single `agentfirm backtest` needs to give the same result: its arguments and settings.
/// </summary>
public sealed record SweepRun(
    int Index,
    IReadOnlyList<KeyValuePair<string, string>> Point,
    string Key,
    string Folder,
    IReadOnlyList<string> Arguments,
    IReadOnlyList<KeyValuePair<string, string>> Settings);

/// <summary>
/// The sweep as a list of runs. The base command line (every flag given except the sweep's own) is the same for all;
/// each run replaces the flags its grid point names and adds its configuration keys. <see cref="Id"/> is a hash of the
/// base command line alone, so a sweep whose grid grew keeps its id (and its stored runs) while its base stays the same.
/// </summary>
public sealed partial class SweepPlan
{
    private SweepPlan(string id, IReadOnlyList<string> baseArguments, SweepGrid grid, IReadOnlyList<SweepRun> runs)
    {
        Id = id;
        BaseArguments = baseArguments;
        Grid = grid;
        Runs = runs;
    }

    public string Id { get; }
    public IReadOnlyList<string> BaseArguments { get; }
    public SweepGrid Grid { get; }
    public IReadOnlyList<SweepRun> Runs { get; }

    /// <param name="baseFlags">The base command line's flags in order, each with its values (a flag given twice appears twice).</param>
    public static SweepPlan Create(IReadOnlyList<(string Flag, IReadOnlyList<string> Values)> baseFlags, SweepGrid grid)
    {
        var baseArguments = baseFlags.SelectMany(f => f.Values.Prepend(f.Flag)).ToList();
        var runs = new List<SweepRun>();
        var folders = new HashSet<string>(StringComparer.Ordinal);
        foreach (var point in grid.Points())
        {
            var key = string.Join(';', point.Select(kv => $"{kv.Key}={kv.Value}"));
            var folder = FolderName(point);
            if (!folders.Add(folder)) folder = $"{folder}_{runs.Count + 1}";
            folders.Add(folder);
            runs.Add(new SweepRun(runs.Count + 1, point, key, folder, Arguments(baseFlags, point), point.Where(kv => kv.Key.Contains(':')).ToList()));
        }
        var id = "sweep-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(baseArguments))))[..16];
        return new SweepPlan(id, baseArguments, grid, runs);
    }

    /// <summary>The base flags with the grid point's flags in place of the base values of the same flags.</summary>
    private static List<string> Arguments(IReadOnlyList<(string Flag, IReadOnlyList<string> Values)> baseFlags, IReadOnlyList<KeyValuePair<string, string>> point)
    {
        var flags = point.Where(kv => !kv.Key.Contains(':') && !kv.Key.StartsWith(SweepAxis.ParamPrefix, StringComparison.Ordinal)).ToList();
        var parameters = point.Where(kv => kv.Key.StartsWith(SweepAxis.ParamPrefix, StringComparison.Ordinal))
            .Select(kv => (Name: kv.Key[SweepAxis.ParamPrefix.Length..], kv.Value)).ToList();
        var arguments = new List<string>();
        foreach (var (flag, values) in baseFlags)
        {
            if (flags.Any(f => "--" + f.Key == flag)) continue;
            if (flag == "--param")
            {
                // --param a=1 b=2: keep the parameters the grid does not set
                var kept = values.Where(v => !parameters.Any(p => v.StartsWith(p.Name + "=", StringComparison.Ordinal))).ToList();
                if (kept.Count > 0) arguments.AddRange(kept.Prepend(flag));
                continue;
            }
            arguments.Add(flag);
            arguments.AddRange(values);
        }
        foreach (var (key, value) in flags) arguments.AddRange(["--" + key, value]);
        foreach (var (name, value) in parameters) arguments.AddRange(["--param", $"{name}={value}"]);
        return arguments;
    }

    /// <summary>A readable folder name for a grid point: Tactical.TargetVolatility=0.2_fee-bps=5 (AgentFirm: dropped, odd characters as '-').</summary>
    private static string FolderName(IReadOnlyList<KeyValuePair<string, string>> point)
    {
        var text = string.Join('_', point.Select(kv =>
            $"{(kv.Key.StartsWith("AgentFirm:", StringComparison.OrdinalIgnoreCase) ? kv.Key["AgentFirm:".Length..] : kv.Key).Replace(':', '.')}={kv.Value}"));
        text = Unsafe().Replace(text, "-");
        return text.Length <= 120 ? text : text[..100] + "-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..12];
    }

    [GeneratedRegex("[^A-Za-z0-9._=+-]")]
    private static partial Regex Unsafe();
}
