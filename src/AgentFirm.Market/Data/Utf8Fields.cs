using System.Globalization;
using System.Text;

namespace AgentFirm.Market.Data;

/// <summary>Allocation-free parsing of CSV fields straight from UTF-8 bytes (the loader's hot path).</summary>
internal static class Utf8Fields
{
    private static ReadOnlySpan<double> Pow10 =>
    [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];

    /// <summary>
    /// Parses a decimal number. Plain decimals with at most 15 significant digits take Clinger's fast path:
    /// mantissa and 10^scale are both exact doubles, so one division is correctly rounded and the result equals
    /// double.Parse. Anything else (exponents, long mantissas, NaN, Infinity) goes to double.TryParse.
    /// </summary>
    public static bool TryParseDouble(ReadOnlySpan<byte> s, out double value)
    {
        var i = 0;
        var negative = false;
        if (s.Length > 0 && (s[0] == (byte)'-' || s[0] == (byte)'+'))
        {
            negative = s[0] == (byte)'-';
            i = 1;
        }
        ulong mantissa = 0;
        var significant = 0;
        var scale = 0;
        var digits = 0;
        var seenDot = false;
        for (; i < s.Length; i++)
        {
            var d = (uint)(s[i] - '0');
            if (d <= 9)
            {
                if (mantissa != 0 || d != 0) significant++;
                if (significant > 15) return Slow(s, out value);
                mantissa = mantissa * 10 + d;
                digits++;
                if (seenDot) scale++;
            }
            else if (s[i] == (byte)'.' && !seenDot) seenDot = true;
            else return Slow(s, out value);
        }
        if (digits == 0 || scale >= Pow10.Length) return Slow(s, out value);
        value = mantissa / Pow10[scale];
        if (negative) value = -value;
        return true;
    }

    private static bool Slow(ReadOnlySpan<byte> s, out double value) =>
        double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out value);

    /// <summary>
    /// Parses a UTC timestamp into DateTime ticks. Fast path: the shared schema's fixed YYYY-MM-DDTHH:MM:SSZ.
    /// Fallbacks: 'YYYY-MM-DD HH:MM:SS' (T or space, Z optional), date only 'YYYY-MM-DD', unix seconds /
    /// milliseconds / microseconds / nanoseconds told apart by magnitude, then any ISO-8601 form with an offset.
    /// </summary>
    public static bool TryParseTimestamp(ReadOnlySpan<byte> s, out long ticks)
    {
        if (s.Length == 20 && s[19] == (byte)'Z' && s[10] == (byte)'T')
            return TryDateTime(s, out ticks);
        if ((s.Length == 19 || (s.Length == 20 && s[19] == (byte)'Z')) && (s[10] == (byte)'T' || s[10] == (byte)' '))
            return TryDateTime(s, out ticks);
        if (s.Length == 10 && s[4] == (byte)'-')
            return TryDate(s, out ticks);
        if (s.Length is > 0 and <= 19 && IsAllDigits(s))
            return TryUnix(s, out ticks);
        return TryGeneral(s, out ticks);
    }

    /// <summary>
    /// Unix time with its unit told apart by magnitude: below 1e11 seconds (to year 5138), below 1e14
    /// milliseconds, below 1e17 microseconds (data.binance.vision from 2025 on), else nanoseconds.
    /// </summary>
    public static bool TryUnixToTicks(long n, out long ticks)
    {
        ticks = 0;
        if (n < 0) return false;
        long t;
        if (n < 100_000_000_000L) t = n * TimeSpan.TicksPerSecond;
        else if (n < 100_000_000_000_000L) t = n * TimeSpan.TicksPerMillisecond;
        else if (n < 100_000_000_000_000_000L) t = n * TimeSpan.TicksPerMicrosecond;
        else t = n / 100;
        ticks = DateTime.UnixEpoch.Ticks + t;
        return ticks <= DateTime.MaxValue.Ticks;
    }

    private static bool TryUnix(ReadOnlySpan<byte> s, out long ticks)
    {
        long n = 0;
        foreach (var b in s) n = n * 10 + (b - '0');
        return TryUnixToTicks(n, out ticks);
    }

    private static bool IsAllDigits(ReadOnlySpan<byte> s)
    {
        foreach (var b in s)
            if ((uint)(b - '0') > 9) return false;
        return true;
    }

    private static bool TryDateTime(ReadOnlySpan<byte> s, out long ticks)
    {
        ticks = 0;
        if (s[13] != (byte)':' || s[16] != (byte)':') return false;
        if (!TryDate(s, out var day)) return false;
        var hour = Two(s, 11);
        var minute = Two(s, 14);
        var second = Two(s, 17);
        if ((uint)hour > 23 || (uint)minute > 59 || (uint)second > 59) return false;
        ticks = day + hour * TimeSpan.TicksPerHour + minute * TimeSpan.TicksPerMinute + second * TimeSpan.TicksPerSecond;
        return true;
    }

    private static bool TryDate(ReadOnlySpan<byte> s, out long ticks)
    {
        ticks = 0;
        if (s[4] != (byte)'-' || s[7] != (byte)'-') return false;
        var y1 = Two(s, 0);
        var y2 = Two(s, 2);
        var month = Two(s, 5);
        var day = Two(s, 8);
        if (y1 < 0 || y2 < 0 || month < 1 || month > 12 || day < 1) return false;
        var year = y1 * 100 + y2;
        if (year < 1 || day > DateTime.DaysInMonth(year, month)) return false;
        ticks = DaysBefore(year, month, day) * TimeSpan.TicksPerDay;
        return true;
    }

    // Days from 0001-01-01 to the given date (the proleptic Gregorian count DateTime uses).
    private static long DaysBefore(int year, int month, int day)
    {
        var y = year - 1;
        long days = y * 365L + y / 4 - y / 100 + y / 400;
        var leap = DateTime.IsLeapYear(year);
        days += (leap ? CumulativeDaysLeap : CumulativeDays)[month - 1];
        return days + day - 1;
    }

    private static ReadOnlySpan<int> CumulativeDays => [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];
    private static ReadOnlySpan<int> CumulativeDaysLeap => [0, 31, 60, 91, 121, 152, 182, 213, 244, 274, 305, 335];

    /// <summary>Two ASCII digits at <paramref name="at"/> as a number, or -1.</summary>
    private static int Two(ReadOnlySpan<byte> s, int at)
    {
        var a = (uint)(s[at] - '0');
        var b = (uint)(s[at + 1] - '0');
        return a <= 9 && b <= 9 ? (int)(a * 10 + b) : -1;
    }

    private static bool TryGeneral(ReadOnlySpan<byte> s, out long ticks)
    {
        ticks = 0;
        if (s.Length is 0 or > 64) return false;
        // Rare forms only (fractional seconds, +00:00 offsets): a string here is fine.
        var text = Encoding.UTF8.GetString(s);
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed)) return false;
        ticks = parsed.UtcTicks;
        return true;
    }

    /// <summary>The field as text for an error message (only on the error path), shortened if long.</summary>
    public static string Show(ReadOnlySpan<byte> s)
    {
        var text = Encoding.UTF8.GetString(s.Length > 40 ? s[..40] : s);
        return s.Length > 40 ? text + "..." : text;
    }
}
