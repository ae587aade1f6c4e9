using System.Globalization;

namespace AgentFirm.Quant.Reporting;

/// <summary>Invariant, round-trippable formatting for the CSV files reports write.</summary>
internal static class CsvText
{
    public static string Number(double value) => double.IsFinite(value) ? value.ToString("R", CultureInfo.InvariantCulture) : "";

    public static string Time(DateTimeOffset? time) =>
        time is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "";

    /// <summary>Quotes a field when it holds a comma, quote or line break (RFC 4180).</summary>
    public static string Field(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        return text.IndexOfAny([',', '"', '\n', '\r']) < 0 ? text : "\"" + text.Replace("\"", "\"\"") + "\"";
    }
}
