using System.Globalization;
using AgentFirm.Core;

namespace AgentFirm.Quant.Backtest;

public enum WarmupUnit { Bars, Hours, Days }

/// <summary>
/// How much history to replay before the traded span: a number of bars of the run's timeframe ("200"),
/// or a duration ("200d", "500h"); "0" turns warm-up off.
/// </summary>
public readonly record struct WarmupLength(int Count, WarmupUnit Unit)
{
    /// <summary>
    /// 200 bars (200 days on daily bars): the firm's slowest memory is its agents' track record, a
    /// rolling window of 200 scored calls; the regime model needs 70 bars (a 20-bar volatility and 50
    /// readings to rank it against) and the technical indicators 34. The causal screen's 250-bar window
    /// fills 50 bars into the traded span; it screens on whatever it has until then.
    /// </summary>
    public static WarmupLength Default { get; } = new(200, WarmupUnit.Bars);

    public static WarmupLength None { get; } = new(0, WarmupUnit.Bars);

    public bool IsNone => Count == 0;

    /// <summary>The length as a span of time on bars of <paramref name="timeframe"/>.</summary>
    public TimeSpan Span(Timeframe timeframe) => Unit switch
    {
        WarmupUnit.Bars => timeframe.Duration * Count,
        WarmupUnit.Hours => TimeSpan.FromHours(Count),
        WarmupUnit.Days => TimeSpan.FromDays(Count),
        _ => throw new InvalidOperationException($"Unknown warm-up unit {Unit}."),
    };

    /// <summary>The open time of the first warm-up bar asked for, before a traded span starting at <paramref name="tradeFrom"/>.</summary>
    public DateTimeOffset StartBefore(DateTimeOffset tradeFrom, Timeframe timeframe) => tradeFrom - Span(timeframe);

    /// <summary>Accepts "0", "N" (bars), "Nd" and "Nh" with N a non-negative integer.</summary>
    public static bool TryParse(string? text, out WarmupLength length)
    {
        length = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        text = text.Trim();
        var unit = char.ToLowerInvariant(text[^1]) switch
        {
            'd' => WarmupUnit.Days,
            'h' => WarmupUnit.Hours,
            'b' => WarmupUnit.Bars,
            _ => (WarmupUnit?)null,
        };
        var digits = unit is null ? text : text[..^1];
        if (!int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var count)) return false;
        length = new WarmupLength(count, unit ?? WarmupUnit.Bars);
        return true;
    }

    public override string ToString() => Count == 0 ? "0" : Unit switch
    {
        WarmupUnit.Bars => Count.ToString(CultureInfo.InvariantCulture) + " bars",
        WarmupUnit.Hours => Count.ToString(CultureInfo.InvariantCulture) + "h",
        _ => Count.ToString(CultureInfo.InvariantCulture) + "d",
    };
}
