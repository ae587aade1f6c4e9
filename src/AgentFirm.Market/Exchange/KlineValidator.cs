using AgentFirm.Core;

namespace AgentFirm.Market.Exchange;

/// <summary>
/// Checks one page as the exchange sent it and returns it ascending: positive finite prices, high ≥ low,
/// open and close inside [low, high], finite non-negative volume, no two bars at the same time.
/// </summary>
public static class KlineValidator
{
    public static IReadOnlyList<Bar> Validate(IReadOnlyList<Bar> page, string source)
    {
        foreach (var bar in page)
        {
            var problem = Problem(bar);
            if (problem is not null)
                throw new ExchangeDataException($"{source}: bar at {OhlcvTime(bar.Time)} is invalid: {problem} " +
                                                $"(open {bar.Open}, high {bar.High}, low {bar.Low}, close {bar.Close}, volume {bar.Volume}).");
        }
        // Coinbase sends newest first; sorting also makes the page order irrelevant to everything after this.
        var sorted = page.OrderBy(b => b.Time).ToArray();
        for (var i = 1; i < sorted.Length; i++)
            if (sorted[i].Time == sorted[i - 1].Time)
                throw new ExchangeDataException($"{source}: two bars at {OhlcvTime(sorted[i].Time)} in one page.");
        return sorted;
    }

    /// <summary>What is wrong with the bar, or null when it is sane.</summary>
    public static string? Problem(Bar bar)
    {
        foreach (var price in (ReadOnlySpan<double>)[bar.Open, bar.High, bar.Low, bar.Close])
            if (!double.IsFinite(price) || price <= 0) return "prices must be positive and finite";
        if (!double.IsFinite(bar.Volume) || bar.Volume < 0) return "volume must be finite and not negative";
        if (bar.High < bar.Low) return "high is below low";
        if (bar.Open < bar.Low || bar.Open > bar.High) return "open is outside [low, high]";
        if (bar.Close < bar.Low || bar.Close > bar.High) return "close is outside [low, high]";
        return null;
    }

    private static string OhlcvTime(DateTimeOffset time) => CsvFormat.Timestamp(time);
}
