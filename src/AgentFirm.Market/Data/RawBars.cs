using AgentFirm.Core;

namespace AgentFirm.Market.Data;

/// <summary>
/// Rows as read from a file, before the timeframe is known: open time in UTC ticks, prices, volume and the
/// row number to quote in messages. Column arrays keep the hot loops cache-friendly and allocation-free.
/// </summary>
internal sealed class RawBars(int capacity)
{
    public long[] Ticks = new long[Math.Max(capacity, 16)];
    public double[] Open = new double[Math.Max(capacity, 16)];
    public double[] High = new double[Math.Max(capacity, 16)];
    public double[] Low = new double[Math.Max(capacity, 16)];
    public double[] Close = new double[Math.Max(capacity, 16)];
    public double[] Volume = new double[Math.Max(capacity, 16)];
    public long[] Row = new long[Math.Max(capacity, 16)];
    public int Count;

    public void Add(long ticks, double open, double high, double low, double close, double volume, long row)
    {
        if (Count == Ticks.Length) Grow();
        var i = Count++;
        Ticks[i] = ticks;
        Open[i] = open;
        High[i] = high;
        Low[i] = low;
        Close[i] = close;
        Volume[i] = volume;
        Row[i] = row;
    }

    private void Grow()
    {
        var size = Ticks.Length * 2;
        Array.Resize(ref Ticks, size);
        Array.Resize(ref Open, size);
        Array.Resize(ref High, size);
        Array.Resize(ref Low, size);
        Array.Resize(ref Close, size);
        Array.Resize(ref Volume, size);
        Array.Resize(ref Row, size);
    }
}

/// <summary>The rules every bar must meet, whatever file format it came from.</summary>
internal static class BarRules
{
    public static readonly string[] SharedColumns = ["timestamp", "open", "high", "low", "close", "volume"];

    /// <summary>Throws naming the first broken rule. Field names are the file's own column names.</summary>
    public static void Check(string file, long row, ReadOnlySpan<string> names, double open, double high, double low, double close, double volume)
    {
        // Prices first, each on its own, so the message points at the one to fix.
        Positive(file, row, names[1], open);
        Positive(file, row, names[2], high);
        Positive(file, row, names[3], low);
        Positive(file, row, names[4], close);
        if (!double.IsFinite(volume)) throw new BadInputException(file, row, names[5], $"volume {volume} is not a finite number");
        if (volume < 0) throw new BadInputException(file, row, names[5], $"volume must not be negative, got {volume}");
        if (high < low) throw new BadInputException(file, row, names[2], $"high {high} is below low {low}");
        if (open < low || open > high)
            throw new BadInputException(file, row, names[1], $"open {open} is outside the bar's range [low {low}, high {high}]");
        if (close < low || close > high)
            throw new BadInputException(file, row, names[4], $"close {close} is outside the bar's range [low {low}, high {high}]");
    }

    private static void Positive(string file, long row, string field, double price)
    {
        if (!double.IsFinite(price)) throw new BadInputException(file, row, field, $"{field} {price} is not a finite number");
        if (price <= 0) throw new BadInputException(file, row, field, $"{field} must be a positive price, got {price}");
    }

    /// <summary>Strictly ascending open times: a repeat is a duplicate, a step back is out of order.</summary>
    public static void CheckOrder(string file, RawBars rows, int i, string timeField)
    {
        if (i == 0) return;
        var previous = rows.Ticks[i - 1];
        var current = rows.Ticks[i];
        if (current > previous) return;
        var at = Iso(current);
        throw current == previous
            ? new BadInputException(file, rows.Row[i], timeField, $"duplicate timestamp {at}: row {rows.Row[i - 1]} has the same open time")
            : new BadInputException(file, rows.Row[i], timeField,
                $"timestamp {at} is out of order: it comes after {Iso(previous)} (row {rows.Row[i - 1]}); rows must be ascending");
    }

    public static string Iso(long ticks) => CsvFormat.Timestamp(new DateTimeOffset(ticks, TimeSpan.Zero));
}
