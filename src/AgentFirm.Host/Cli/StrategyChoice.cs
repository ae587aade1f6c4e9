using AgentFirm.Core;
using AgentFirm.Quant.Strategies;

namespace AgentFirm.Host.Cli;

/// <summary>
/// --strategy and --param checked before any data loads: the catalogue's strategies plus firm (the agent firm,
/// which the host runs), and only the keys the chosen strategy reads, with the nearest known name for a typo.
/// </summary>
public static class StrategyChoice
{
    public const string Firm = "firm";

    public static IReadOnlyList<string> Names { get; } = [.. StrategyCatalog.Names, Firm];

    public static void Check(string name, IReadOnlyDictionary<string, string> parameters)
    {
        var isKnown = Names.Contains(name, StringComparer.OrdinalIgnoreCase) || name.Equals("buy-and-hold", StringComparison.OrdinalIgnoreCase);
        if (!isKnown)
            throw new BadInputException($"--strategy '{name}' is not a strategy{Suggest.DidYouMean(name, Names)}; known: {string.Join(", ", Names)}.");
        var keys = name.Equals(Firm, StringComparison.OrdinalIgnoreCase) ? [] : StrategyCatalog.ParameterKeys(name);
        foreach (var key in parameters.Keys.Where(k => !keys.Contains(k, StringComparer.OrdinalIgnoreCase)))
            throw new BadInputException(keys.Count == 0
                ? $"--param {key}: {name} takes no parameters{(name.Equals(Firm, StringComparison.OrdinalIgnoreCase) ? " (the firm is configured through AgentFirm:* settings)" : "")}."
                : $"--param {key}: {name} has no parameter '{key}'{Suggest.DidYouMean(key, keys)}; its parameters are {string.Join(", ", keys)}.");
    }
}
