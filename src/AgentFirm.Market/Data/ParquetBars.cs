using AgentFirm.Core;
using Parquet;
using Parquet.Schema;

namespace AgentFirm.Market.Data;

/// <summary>
/// Bars in Parquet: columns timestamp (UTC, microseconds), open, high, low, close, volume (double) as in the
/// shared CSV schema, plus duration_us (int64) because volume and dollar bars have no fixed length.
/// Writes are atomic (temporary file, then move). Reading accepts files written elsewhere (pandas, Arrow):
/// timestamp as a timestamp or unix int64 (unit by magnitude), prices as double/float/decimal/integer.
/// </summary>
public static class ParquetBars
{
    private static readonly DateTimeDataField TimeField = new("timestamp", DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Micros);
    private static readonly DataField<double>[] ValueFields =
        [new("open"), new("high"), new("low"), new("close"), new("volume")];
    private static readonly DataField<long> DurationField = new("duration_us");
    private static readonly ParquetSchema Schema = new([TimeField, .. ValueFields, DurationField]);

    public static async Task WriteAsync(string path, IReadOnlyList<Bar> bars, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(bars);
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temp = full + ".tmp-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            var n = bars.Count;
            var times = new DateTime[n];
            var durations = new long[n];
            var columns = new double[5][];
            for (var c = 0; c < 5; c++) columns[c] = new double[n];
            for (var i = 0; i < n; i++)
            {
                var b = bars[i];
                times[i] = b.Time.UtcDateTime;
                durations[i] = b.Duration.Ticks / TimeSpan.TicksPerMicrosecond;
                columns[0][i] = b.Open;
                columns[1][i] = b.High;
                columns[2][i] = b.Low;
                columns[3][i] = b.Close;
                columns[4][i] = b.Volume;
            }
            await using (var file = File.Create(temp))
            {
                await using var writer = await ParquetWriter.CreateAsync(Schema, file, cancellationToken: ct).ConfigureAwait(false);
                using var group = writer.CreateRowGroup();
                await group.WriteAsync<DateTime>(TimeField, times, cancellationToken: ct).ConfigureAwait(false);
                for (var c = 0; c < 5; c++)
                    await group.WriteAsync<double>(ValueFields[c], columns[c], cancellationToken: ct).ConfigureAwait(false);
                await group.WriteAsync<long>(DurationField, durations, cancellationToken: ct).ConfigureAwait(false);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    /// <summary>
    /// Reads bars as stored (no validation: use <see cref="BarLoader.Load"/> for that). Duration comes from
    /// duration_us when present, else <paramref name="timeframe"/>, else the median spacing of the bars.
    /// </summary>
    public static async Task<Bar[]> ReadAsync(string path, Timeframe? timeframe = null, CancellationToken ct = default)
    {
        var table = await ReadTableAsync(path, File.OpenRead(path), ct).ConfigureAwait(false);
        var n = table.Times.Length;
        var fallback = timeframe?.Duration ?? MedianSpacing(table.Times);
        var bars = new Bar[n];
        for (var i = 0; i < n; i++)
        {
            var duration = table.Durations is { } d ? TimeSpan.FromTicks(d[i] * TimeSpan.TicksPerMicrosecond) : fallback;
            bars[i] = new Bar(new DateTimeOffset(table.Times[i], TimeSpan.Zero), duration,
                table.Values[0][i], table.Values[1][i], table.Values[2][i], table.Values[3][i], table.Values[4][i]);
        }
        return bars;
    }

    /// <summary>For the loader: rows checked by the same rules as CSV rows; row = 1-based record number.</summary>
    internal static RawBars ReadRows(string path, byte[] raw)
    {
        // Task.Run: no synchronisation context to deadlock on while the synchronous loader waits.
        var table = Task.Run(() => ReadTableAsync(path, new MemoryStream(raw, writable: false), CancellationToken.None)).GetAwaiter().GetResult();
        var n = table.Times.Length;
        var rows = new RawBars(n);
        var names = BarRules.SharedColumns;
        var v = table.Values;
        for (var i = 0; i < n; i++)
        {
            BarRules.Check(path, i + 1, names, v[0][i], v[1][i], v[2][i], v[3][i], v[4][i]);
            rows.Add(table.Times[i], v[0][i], v[1][i], v[2][i], v[3][i], v[4][i], i + 1);
            BarRules.CheckOrder(path, rows, i, "timestamp");
        }
        return rows;
    }

    private sealed record Table(long[] Times, double[][] Values, long[]? Durations);

    private static async Task<Table> ReadTableAsync(string path, Stream stream, CancellationToken ct)
    {
        await using var _ = stream;
        ParquetReader reader;
        try
        {
            reader = await ParquetReader.CreateAsync(stream, cancellationToken: ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException or ArgumentException)
        {
            throw new BadInputException($"{path}: not a readable Parquet file ({e.Message}).");
        }
        await using (reader)
        {
            var fields = reader.Schema.GetDataFields();
            DataField Require(string name) =>
                fields.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase))
                ?? throw new BadInputException(path, 1, name,
                    $"column '{name}' is missing; expected timestamp,open,high,low,close,volume (found {string.Join(',', fields.Select(f => f.Name))})");
            var timeField = Require("timestamp");
            var valueFields = BarRules.SharedColumns[1..].Select(Require).ToArray();
            var durationField = fields.FirstOrDefault(f => f.Name == DurationField.Name && f.ClrType == typeof(long));

            var total = reader.RowGroups.Sum(g => g.RowCount);
            var times = new long[total];
            var values = new double[5][];
            for (var c = 0; c < 5; c++) values[c] = new double[total];
            var durations = durationField is null ? null : new long[total];
            var offset = 0;
            for (var g = 0; g < reader.RowGroupCount; g++)
            {
                using var group = reader.OpenRowGroupReader(g);
                var count = (int)group.RowCount;
                await ReadTimes(path, group, timeField, times.AsMemory(offset, count), offset, ct).ConfigureAwait(false);
                for (var c = 0; c < 5; c++)
                    await ReadDoubles(path, group, valueFields[c], values[c].AsMemory(offset, count), offset, ct).ConfigureAwait(false);
                if (durations is not null)
                    await ReadLongs(path, group, durationField!, durations.AsMemory(offset, count), offset, ct).ConfigureAwait(false);
                offset += count;
            }
            return new Table(times, values, durations);
        }
    }

    private static async Task ReadTimes(string path, ParquetRowGroupReader group, DataField field, Memory<long> target, int offset, CancellationToken ct)
    {
        var n = target.Length;
        var type = field.ClrType;
        if (type == typeof(DateTime))
        {
            var data = await ReadNonNull<DateTime>(path, group, field, n, offset, ct).ConfigureAwait(false);
            for (var i = 0; i < n; i++) target.Span[i] = DateTime.SpecifyKind(data[i], DateTimeKind.Utc).Ticks;
        }
        else if (type == typeof(DateTimeOffset))
        {
            var data = await ReadNonNull<DateTimeOffset>(path, group, field, n, offset, ct).ConfigureAwait(false);
            for (var i = 0; i < n; i++) target.Span[i] = data[i].UtcTicks;
        }
        else if (type == typeof(long) || type == typeof(int))
        {
            var raw = new long[n];
            await ReadLongs(path, group, field, raw, offset, ct).ConfigureAwait(false);
            for (var i = 0; i < n; i++)
                if (!Utf8Fields.TryUnixToTicks(raw[i], out target.Span[i]))
                    throw new BadInputException(path, offset + i + 1, field.Name, $"{raw[i]} is not a unix timestamp");
        }
        else
            throw new BadInputException(path, 1, field.Name, $"timestamp column of type {type.Name} is not supported (use a timestamp or unix int64)");
    }

    private static async Task ReadLongs(string path, ParquetRowGroupReader group, DataField field, Memory<long> target, int offset, CancellationToken ct)
    {
        var n = target.Length;
        if (field.ClrType == typeof(long))
            (await ReadNonNull<long>(path, group, field, n, offset, ct).ConfigureAwait(false)).CopyTo(target);
        else if (field.ClrType == typeof(int))
        {
            var data = await ReadNonNull<int>(path, group, field, n, offset, ct).ConfigureAwait(false);
            for (var i = 0; i < n; i++) target.Span[i] = data[i];
        }
        else throw new BadInputException(path, 1, field.Name, $"column of type {field.ClrType.Name} is not an integer column");
    }

    private static async Task ReadDoubles(string path, ParquetRowGroupReader group, DataField field, Memory<double> target, int offset, CancellationToken ct)
    {
        var n = target.Length;
        var type = field.ClrType;
        if (type == typeof(double)) (await ReadNonNull<double>(path, group, field, n, offset, ct).ConfigureAwait(false)).CopyTo(target);
        else if (type == typeof(float)) Convert(await ReadNonNull<float>(path, group, field, n, offset, ct).ConfigureAwait(false), x => x, target.Span);
        else if (type == typeof(decimal)) Convert(await ReadNonNull<decimal>(path, group, field, n, offset, ct).ConfigureAwait(false), x => (double)x, target.Span);
        else if (type == typeof(long)) Convert(await ReadNonNull<long>(path, group, field, n, offset, ct).ConfigureAwait(false), x => x, target.Span);
        else if (type == typeof(int)) Convert(await ReadNonNull<int>(path, group, field, n, offset, ct).ConfigureAwait(false), x => x, target.Span);
        else throw new BadInputException(path, 1, field.Name, $"column of type {type.Name} is not numeric");
    }

    private static void Convert<T>(T[] source, Func<T, double> convert, Span<double> target)
    {
        for (var i = 0; i < source.Length; i++) target[i] = convert(source[i]);
    }

    /// <summary>Reads a column of T, nullable or not; a null is a missing value, reported like a broken field.</summary>
    private static async Task<T[]> ReadNonNull<T>(string path, ParquetRowGroupReader group, DataField field, int n, int offset, CancellationToken ct)
        where T : struct
    {
        if (!field.IsNullable)
        {
            var values = new T[n];
            await group.ReadAsync<T>(field, values.AsMemory(), null, ct).ConfigureAwait(false);
            return values;
        }
        var nullable = new T?[n];
        await group.ReadAsync<T>(field, nullable.AsMemory(), null, ct).ConfigureAwait(false);
        var result = new T[n];
        for (var i = 0; i < n; i++)
            result[i] = nullable[i] ?? throw new BadInputException(path, offset + i + 1, field.Name, "missing value (null)");
        return result;
    }

    private static TimeSpan MedianSpacing(long[] times)
    {
        if (times.Length < 2) return TimeSpan.Zero;
        var deltas = new long[times.Length - 1];
        for (var i = 1; i < times.Length; i++) deltas[i - 1] = times[i] - times[i - 1];
        Array.Sort(deltas);
        return TimeSpan.FromTicks(deltas[(deltas.Length - 1) / 2]);
    }
}
