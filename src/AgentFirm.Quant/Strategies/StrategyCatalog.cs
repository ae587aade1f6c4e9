using System.Globalization;
using AgentFirm.Core;
using AgentFirm.Quant.Backtest;

namespace AgentFirm.Quant.Strategies;

/// <summary>The strategies the CLI knows by name, with their parameters as key=value pairs.</summary>
public static class StrategyCatalog
{
    public static IReadOnlyList<string> Names { get; } = ["buyhold", "sma-cross", "momentum", "voltarget"];

    /// <summary>The --param keys each strategy reads; any other key is a typo that would otherwise run the defaults silently.</summary>
    public static IReadOnlyList<string> ParameterKeys(string name) => name.ToLowerInvariant() switch
    {
        "buyhold" or "buy-and-hold" => [],
        "sma-cross" => ["fast", "slow", "short"],
        "momentum" => ["lookback"],
        "voltarget" => ["target", "lookback", "band"],
        _ => throw new BadInputException($"Unknown strategy '{name}'. Known: {string.Join(", ", Names)}."),
    };

    public static IStrategy Create(string name, IReadOnlyDictionary<string, string> parameters)
    {
        var known = ParameterKeys(name);
        foreach (var key in parameters.Keys)
            if (!known.Contains(key, StringComparer.OrdinalIgnoreCase))
                throw new BadInputException(known.Count == 0
                    ? $"--param {key}: {name} takes no parameters."
                    : $"--param {key}: {name} has no parameter '{key}'; its parameters are {string.Join(", ", known)}.");
        int Int(string key, int fallback)
        {
            if (!parameters.TryGetValue(key, out var text)) return fallback;
            return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v > 0
                ? v
                : throw new BadInputException($"Strategy parameter '{key}' must be a positive integer, got '{text}'.");
        }
        double Fraction(string key, double fallback)
        {
            if (!parameters.TryGetValue(key, out var text)) return fallback;
            return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v >= 0 && double.IsFinite(v)
                ? v
                : throw new BadInputException($"Strategy parameter '{key}' must be a non-negative number, got '{text}'.");
        }
        bool Bool(string key)
        {
            if (!parameters.TryGetValue(key, out var text)) return false;
            return bool.TryParse(text, out var b) ? b : throw new BadInputException($"Strategy parameter '{key}' must be true or false, got '{text}'.");
        }

        return name.ToLowerInvariant() switch
        {
            "buyhold" or "buy-and-hold" => new BuyAndHold(),
            "sma-cross" => Int("fast", 20) < Int("slow", 50)
                ? new SmaCross(Int("fast", 20), Int("slow", 50), Bool("short"))
                : throw new BadInputException($"sma-cross needs fast < slow, got fast={Int("fast", 20)}, slow={Int("slow", 50)}."),
            "momentum" => new TimeSeriesMomentum(Int("lookback", 30)),
            "voltarget" => Fraction("target", 0.20) > 0 && Int("lookback", 30) >= 2
                ? new VolatilityTargetedHold(Fraction("target", 0.20), Int("lookback", 30), Fraction("band", 0.25))
                : throw new BadInputException($"voltarget needs target > 0 and lookback >= 2, got target={Fraction("target", 0.20)}, lookback={Int("lookback", 30)}."),
            _ => throw new BadInputException($"Unknown strategy '{name}'. Known: {string.Join(", ", Names)}."),
        };
    }
}
