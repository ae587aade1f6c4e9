using System.Globalization;
using AgentFirm.Core;

namespace AgentFirm.Host.Cli;

/// <summary>
/// Guards `stats sharpe --returns` against a column of levels (equity, prices, gross returns 1 + r) read as returns,
/// which would give a meaningless Sharpe near the level's mean over its spread (and a PSR of 1).
/// </summary>
public static class ReturnsColumn
{
    /// <summary>
    /// The rule: simple returns of anything tradable are centred near 0 and take both signs. A column whose values are all
    /// positive and whose median is at least 0.5 (a 50 % gain in a typical period) is levels, not returns; it is refused and
    /// --from-equity offered. One real series that fails it would need to rise more than 50 % in most periods and never
    /// fall, which no market does; equity and price columns (thousands) and gross returns (about 1) all trip it.
    /// </summary>
    public const double LevelMedian = 0.5;

    public static List<double> Checked(List<double> values, string file, string column)
    {
        if (values.Count == 0 || values.Min() <= 0) return values;
        var median = Median(values);
        if (median >= LevelMedian)
            throw new BadInputException(string.Create(CultureInfo.InvariantCulture,
                $"{file}: column '{column}' looks like levels, not returns (every value is positive, median {median:G4}); pass --from-equity to use its simple returns, or choose a return column with --column."));
        return values;
    }

    /// <summary>r_t = E_t / E_{t-1} - 1: one fewer value than levels; every level must be positive.</summary>
    public static List<double> FromLevels(List<double> levels, string file, string column)
    {
        for (var i = 0; i < levels.Count; i++)
            if (!(levels[i] > 0))
                throw new BadInputException(string.Create(CultureInfo.InvariantCulture, $"{file}: column '{column}': --from-equity needs positive levels, but value {i + 1} is {levels[i]:G6}."));
        var returns = new List<double>(Math.Max(0, levels.Count - 1));
        for (var i = 1; i < levels.Count; i++) returns.Add(levels[i] / levels[i - 1] - 1);
        return returns;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
