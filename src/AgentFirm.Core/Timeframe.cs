using System.Globalization;

namespace AgentFirm.Core;

/// <summary>A bar interval such as 1h or 1d. Crypto trades 24/7, so a year has 365 days of periods.</summary>
public readonly record struct Timeframe(TimeSpan Duration)
{
    public static readonly Timeframe Minute = new(TimeSpan.FromMinutes(1));
    public static readonly Timeframe Hour = new(TimeSpan.FromHours(1));
    public static readonly Timeframe FourHours = new(TimeSpan.FromHours(4));
    public static readonly Timeframe Day = new(TimeSpan.FromDays(1));

    /// <summary>Periods in a 365-day year: 8760 for 1h, 365 for 1d (no weekends or holidays in crypto).</summary>
    public double PeriodsPerYear => TimeSpan.FromDays(365).Ticks / (double)Duration.Ticks;

    /// <summary>Parses "1m", "15m", "1h", "4h", "1d", "1w".</summary>
    public static Timeframe Parse(string text)
    {
        if (TryParse(text, out var tf)) return tf;
        throw new FormatException($"Unknown timeframe '{text}': use a number followed by m, h, d or w (e.g. 1h, 4h, 1d).");
    }

    public static bool TryParse(string? text, out Timeframe timeframe)
    {
        timeframe = default;
        if (string.IsNullOrWhiteSpace(text) || text.Length < 2) return false;
        var unit = char.ToLowerInvariant(text[^1]);
        if (!int.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n <= 0)
            return false;
        TimeSpan? span = unit switch
        {
            'm' => TimeSpan.FromMinutes(n),
            'h' => TimeSpan.FromHours(n),
            'd' => TimeSpan.FromDays(n),
            'w' => TimeSpan.FromDays(7 * n),
            _ => null,
        };
        if (span is null) return false;
        timeframe = new Timeframe(span.Value);
        return true;
    }

    public override string ToString()
    {
        if (Duration.Ticks % TimeSpan.TicksPerDay == 0)
            return Duration.Days % 7 == 0 && Duration.Days >= 7 ? $"{Duration.Days / 7}w" : $"{Duration.Days}d";
        if (Duration.Ticks % TimeSpan.TicksPerHour == 0) return $"{(int)Duration.TotalHours}h";
        return $"{(int)Duration.TotalMinutes}m";
    }
}
