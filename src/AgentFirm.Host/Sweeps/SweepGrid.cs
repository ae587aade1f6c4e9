using System.Reflection;
using AgentFirm.Core;

namespace AgentFirm.Host.Sweeps;

/// <summary>
/// One axis of a grid, from `--grid KEY=V1,V2,...`. The rule for keys:
/// <list type="bullet">
/// <item>a key with a colon is a configuration key (AgentFirm:Tactical:TargetVolatility): for that run it wins over
/// appsettings.json and the environment, exactly as AgentFirm__Tactical__TargetVolatility=V would for one process;</item>
/// <item>a key without one is a flag of `backtest` without its dashes (fee-bps, strategy, from, warmup, ...): for that
/// run it replaces the flag's value on the command line; param.NAME sets one strategy parameter (--param NAME=V).</item>
/// </list>
/// Flags still win over configuration keys, as they always do.
/// </summary>
public sealed record SweepAxis(string Key, IReadOnlyList<string> Values)
{
    public const string ParamPrefix = "param.";

    public bool IsSetting => Key.Contains(':');
}

/// <summary>The grid: every combination of the axes' values, the first axis outermost, in the order given.</summary>
public sealed class SweepGrid
{
    private SweepGrid(IReadOnlyList<SweepAxis> axes) => Axes = axes;

    public IReadOnlyList<SweepAxis> Axes { get; }

    /// <summary>Reads `--grid` values; <paramref name="flags"/> are the flag names (without dashes) a grid may vary.</summary>
    public static SweepGrid Parse(IEnumerable<string> entries, IReadOnlyCollection<string> flags)
    {
        var axes = new List<SweepAxis>();
        foreach (var entry in entries)
        {
            var eq = entry.IndexOf('=');
            if (eq <= 0) throw new BadInputException($"--grid '{entry}' is not KEY=V1,V2,...: e.g. --grid fee-bps=5,10 or --grid AgentFirm:Tactical:TargetVolatility=0.2,0.3.");
            var key = entry[..eq].Trim();
            var values = entry[(eq + 1)..].Split(',', StringSplitOptions.TrimEntries);
            if (values.Any(v => v.Length == 0)) throw new BadInputException($"--grid '{entry}': an empty value; give the values comma-separated, e.g. {key}=5,10.");
            if (values.Distinct(StringComparer.Ordinal).Count() != values.Length) throw new BadInputException($"--grid '{entry}': a value is given twice.");
            if (key.StartsWith("--", StringComparison.Ordinal)) key = key[2..];
            CheckKey(key, flags);
            if (axes.Any(a => string.Equals(a.Key, key, StringComparison.OrdinalIgnoreCase))) throw new BadInputException($"--grid: the key {key} is given twice; list all its values in one --grid.");
            axes.Add(new SweepAxis(key, values));
        }
        if (axes.Count == 0) throw new BadInputException("--grid: no axis given.");
        return new SweepGrid(axes);
    }

    /// <summary>Every grid point as (key, value) pairs in axis order.</summary>
    public IReadOnlyList<IReadOnlyList<KeyValuePair<string, string>>> Points()
    {
        IEnumerable<IReadOnlyList<KeyValuePair<string, string>>> points = [[]];
        foreach (var axis in Axes)
            points = points.SelectMany(p => axis.Values.Select(v => (IReadOnlyList<KeyValuePair<string, string>>)[.. p, KeyValuePair.Create(axis.Key, v)])).ToList();
        return points.ToList();
    }

    private static void CheckKey(string key, IReadOnlyCollection<string> flags)
    {
        if (key.Contains(':'))
        {
            if (!SettingExists(key))
                throw new BadInputException($"--grid {key}: not a configuration key of the AgentFirm section (e.g. AgentFirm:Tactical:TargetVolatility; see appsettings.json).");
            return;
        }
        if (key.StartsWith(SweepAxis.ParamPrefix, StringComparison.Ordinal) && key.Length > SweepAxis.ParamPrefix.Length) return;
        if (!flags.Contains(key))
            throw new BadInputException($"--grid {key}: not a backtest flag a grid can vary; use one of {string.Join(", ", flags.Order())}, param.NAME, or a configuration key with colons.");
    }

    /// <summary>
    /// Whether AgentFirm:A:B names a settable property path of <see cref="AgentFirmSettings"/> (case-insensitive, as the
    /// configuration binder matches); a misspelt key would otherwise be ignored without a word. AgentFirm:Llm and
    /// AgentFirm:Cluster are read by their own code: any key under them is taken as given.
    /// </summary>
    public static bool SettingExists(string key)
    {
        var parts = key.Split(':');
        if (parts.Length < 2 || !parts[0].Equals("AgentFirm", StringComparison.OrdinalIgnoreCase) || parts.Any(p => p.Length == 0)) return false;
        if (parts[1].Equals("Llm", StringComparison.OrdinalIgnoreCase) || parts[1].Equals("Cluster", StringComparison.OrdinalIgnoreCase)) return parts.Length > 2;
        var type = typeof(AgentFirmSettings);
        foreach (var part in parts.Skip(1))
        {
            if (IsArrayOrDictionary(type)) return true; // an index or a map key below here: the binder takes any
            var property = type.GetProperty(part, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (property is null || property.Name == nameof(AgentFirmSettings.Configuration)) return false;
            type = property.PropertyType;
        }
        return true;
    }

    private static bool IsArrayOrDictionary(Type type) =>
        type.IsArray || type.IsGenericType && type.GetGenericTypeDefinition() is var g
            && (g == typeof(Dictionary<,>) || g == typeof(IReadOnlyDictionary<,>) || g == typeof(IDictionary<,>) || g == typeof(List<>) || g == typeof(IReadOnlyList<>));
}
