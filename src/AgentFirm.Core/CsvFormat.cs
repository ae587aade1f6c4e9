using System.Globalization;

namespace AgentFirm.Core;

/// <summary>
/// How every CSV this project writes spells its values: UTC timestamps as yyyy-MM-ddTHH:mm:ssZ (the shared
/// data's convention), numbers round-trippable and invariant (non-finite or missing as an empty cell), and
/// text quoted per RFC 4180 only when it holds a comma, quote or line break.
/// </summary>
public static class CsvFormat
{
    public static string Timestamp(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string Timestamp(DateTimeOffset? time) => time is { } t ? Timestamp(t) : "";

    public static string Number(double value) => double.IsFinite(value) ? value.ToString("R", CultureInfo.InvariantCulture) : "";

    public static string Number(double? value) => value is { } v ? Number(v) : "";

    public static string Field(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        return text.AsSpan().IndexOfAny(",\"\r\n") < 0 ? text : "\"" + text.Replace("\"", "\"\"") + "\"";
    }
}
