using System.Globalization;
using AgentFirm.Dashboard.Model;
using MudBlazor;

namespace AgentFirm.Dashboard.Components;

/// <summary>How the dashboard writes numbers and picks colours, in one place so every table agrees.</summary>
internal static class Fmt
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Money(double v) => v.ToString("N2", Inv);

    public static string Price(double v) => v.ToString(Math.Abs(v) >= 100 ? "N2" : "N4", Inv);

    public static string Quantity(double v) => v.ToString("#,##0.######", Inv);

    // "P2" under the invariant culture writes "12.34 %"; readers expect "12.34%".
    public static string Percent(double v) => (v * 100).ToString("0.00", Inv) + "%";

    /// <summary>Exposure as a multiple of equity: "0.85x".</summary>
    public static string Multiple(double v) => v.ToString("0.00", Inv) + "x";

    /// <summary>A model input of any scale (an RSI, a z-score, a rate): up to four decimals, no trailing zeros.</summary>
    public static string Evidence(double v) => v.ToString("#,##0.####", Inv);

    public static string Count(long v) => v.ToString("N0", Inv);

    public static string Millis(TimeSpan t) => t.TotalMilliseconds.ToString("N1", Inv) + " ms";

    public static string Signed(double v) => v.ToString("+0.00;-0.00;0.00", Inv);

    public static string Ratio(double v) => v.ToString("0.00", Inv);

    public static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm", Inv);

    public static string Clock(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", Inv);

    public static string Date(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd", Inv);

    public static string Horizon(TimeSpan h) =>
        h.TotalDays >= 1 ? $"{h.TotalDays:0.#}d" : h.TotalHours >= 1 ? $"{h.TotalHours:0.#}h" : $"{h.TotalMinutes:0}m";

    /// <summary>Direction as a word a reader can scan: long, short or flat.</summary>
    public static string Stance(double direction) => direction switch
    {
        > 0.05 => "long",
        < -0.05 => "short",
        _ => "flat",
    };

    public static Color StanceColor(double direction) => direction switch
    {
        > 0.05 => Color.Success,
        < -0.05 => Color.Error,
        _ => Color.Default,
    };

    public static Color PnlColor(double v) => v > 0 ? Color.Success : v < 0 ? Color.Error : Color.Default;

    public static Color VerdictColor(RiskAction a) => a switch
    {
        RiskAction.Approve => Color.Success,
        RiskAction.Shrink => Color.Warning,
        _ => Color.Error,
    };

    public static string Verdict(RiskAction a) => a.ToString().ToLowerInvariant();

    public static string Source(DecisionSource s) => s.ToString().ToLowerInvariant();
}
