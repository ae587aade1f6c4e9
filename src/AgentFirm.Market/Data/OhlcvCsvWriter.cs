using System.Globalization;
using System.IO.Compression;
using System.Text;
using AgentFirm.Core;

namespace AgentFirm.Market.Data;

/// <summary>
/// Writes bars in the shared schema (timestamp,open,high,low,close,volume; ISO-8601 UTC open time;
/// shortest round-trip numbers). A path ending in .gz is gzip-compressed. Writes go to a temporary file
/// that replaces the target only once complete, so a failure never leaves a half-written file.
/// </summary>
public static class OhlcvCsvWriter
{
    public const string Header = "timestamp,open,high,low,close,volume";

    public static void Write(string path, IEnumerable<Bar> bars)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temp = full + ".tmp-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            using (var file = File.Create(temp))
            using (var stream = full.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)
                       ? new GZipStream(file, CompressionLevel.Optimal)
                       : (Stream)file)
            using (var writer = new StreamWriter(stream, new UTF8Encoding(false)) { NewLine = "\n" })
            {
                WriteTo(writer, bars);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    public static void WriteTo(TextWriter writer, IEnumerable<Bar> bars)
    {
        writer.WriteLine(Header);
        Span<char> buffer = stackalloc char[64];
        foreach (var bar in bars)
        {
            writer.Write(CsvFormat.Timestamp(bar.Time));
            foreach (var value in (ReadOnlySpan<double>)[bar.Open, bar.High, bar.Low, bar.Close, bar.Volume])
            {
                writer.Write(',');
                value.TryFormat(buffer, out var n, "R", CultureInfo.InvariantCulture);
                writer.Write(buffer[..n]);
            }
            writer.WriteLine();
        }
    }
}
