using System.Globalization;
using System.Text;
using AgentFirm.Core;
using AgentFirm.Market.Data;

namespace AgentFirm.Market.Exchange;

/// <summary>
/// A download's target file in the shared layout (DIR/&lt;timeframe&gt;/&lt;SYMBOL&gt;.csv). Resuming needs only the last
/// bar's time, read from the file's tail; appending rewrites existing rows verbatim plus the new rows into a
/// temporary file that then replaces the target, so a failure never leaves a half-written file.
/// </summary>
public sealed class OhlcvOutputFile(string path)
{
    public string Path { get; } = System.IO.Path.GetFullPath(path);

    public static OhlcvOutputFile In(string directory, Timeframe timeframe, Instrument instrument) =>
        new(System.IO.Path.Combine(directory, timeframe.ToString(), instrument.Symbol + ".csv"));

    public bool Exists => File.Exists(Path);

    /// <summary>Open time of the last row; null when there is no file or only a header.</summary>
    public DateTimeOffset? LastBarTime()
    {
        if (!Exists) return null;
        using var stream = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.Read);
        using (var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, leaveOpen: true))
        {
            var header = reader.ReadLine();
            if (header is null) return null;
            if (header.Trim() != OhlcvCsvWriter.Header)
                throw new BadInputException($"{Path}: header is '{header}', not '{OhlcvCsvWriter.Header}'; refusing to append to a file in another schema.");
        }
        var line = LastLine(stream);
        if (line is null || line == OhlcvCsvWriter.Header) return null;
        var field = line.Split(',')[0];
        if (!DateTimeOffset.TryParseExact(field, "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
            throw new BadInputException($"{Path}: last row '{line}' does not start with an ISO-8601 UTC timestamp; cannot resume after it.");
        return time;
    }

    /// <summary>
    /// Adds <paramref name="bars"/> (ascending, all after the file's last bar) and returns the row count now in the
    /// file. Nothing is written when there is nothing to add.
    /// </summary>
    public long Append(IReadOnlyList<Bar> bars)
    {
        var last = LastBarTime();
        for (var i = 0; i < bars.Count; i++)
        {
            var floor = i == 0 ? last : bars[i - 1].Time;
            if (floor is { } f && bars[i].Time <= f)
                throw new InvalidOperationException($"{Path}: bar at {CsvFormat.Timestamp(bars[i].Time)} would duplicate or reorder rows (previous {CsvFormat.Timestamp(f)}).");
        }
        if (!Exists)
        {
            if (bars.Count > 0) OhlcvCsvWriter.Write(Path, bars);
            return bars.Count;
        }
        var existingRows = CountRows();
        if (bars.Count == 0) return existingRows;

        var temp = Path + ".tmp-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            using (var output = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
            {
                using (var input = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.Read))
                {
                    input.CopyTo(output);
                    if (input.Length > 0 && !EndsWithNewline(input)) output.WriteByte((byte)'\n');
                }
                using var writer = new StreamWriter(output, new UTF8Encoding(false)) { NewLine = "\n" };
                writer.Write(Rows(bars));
            }
            File.Move(temp, Path, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
        return existingRows + bars.Count;
    }

    /// <summary>The writer's formatting without its header line, so appended rows read exactly like fresh ones.</summary>
    private static string Rows(IReadOnlyList<Bar> bars)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        OhlcvCsvWriter.WriteTo(text, bars);
        return text.ToString()[(OhlcvCsvWriter.Header.Length + 1)..];
    }

    private long CountRows()
    {
        long lines = 0;
        foreach (var line in File.ReadLines(Path))
            if (line.Length > 0) lines++;
        return Math.Max(0, lines - 1);
    }

    private static bool EndsWithNewline(FileStream stream)
    {
        stream.Seek(-1, SeekOrigin.End);
        return stream.ReadByte() == '\n';
    }

    /// <summary>The last non-empty line, read from the end so a large file costs one small read.</summary>
    private static string? LastLine(FileStream stream)
    {
        const int chunk = 4096;
        var length = stream.Length;
        var start = Math.Max(0, length - chunk);
        var buffer = new byte[length - start];
        stream.Seek(start, SeekOrigin.Begin);
        stream.ReadExactly(buffer);
        var lines = Encoding.UTF8.GetString(buffer).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        // The first piece of a mid-file chunk may be a partial line; a row is far shorter than the chunk.
        return lines.Length == 0 ? null : lines[^1].TrimStart('\uFEFF');
    }
}
