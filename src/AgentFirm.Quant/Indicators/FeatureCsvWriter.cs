using AgentFirm.Core;
using System.Text;
using AgentFirm.Quant.Reporting;

namespace AgentFirm.Quant.Indicators;

/// <summary>
/// Writes a <see cref="FeatureTable"/> as CSV: a header "timestamp,NAME..." then one row per bar, ISO-8601 UTC
/// timestamps, round-trippable invariant numbers, empty cells for NaN (warm-up). Atomic: the rows go to a
/// temp file beside the target, which is then moved over it, so a reader never sees half a file.
/// </summary>
public static class FeatureCsvWriter
{
    public static void Write(string path, FeatureTable table)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(table);
        var full = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(folder);
        var temp = Path.Combine(folder, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var writer = new StreamWriter(temp, append: false, new UTF8Encoding(false), bufferSize: 1 << 16))
            {
                writer.NewLine = "\n";
                writer.Write("timestamp");
                foreach (var name in table.Names)
                {
                    writer.Write(',');
                    writer.Write(CsvFormat.Field(name));
                }
                writer.WriteLine();
                for (var t = 0; t < table.Rows; t++)
                {
                    writer.Write(CsvFormat.Timestamp(table.Times[t]));
                    foreach (var column in table.Columns)
                    {
                        writer.Write(',');
                        writer.Write(CsvFormat.Number(column[t]));
                    }
                    writer.WriteLine();
                }
            }
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }
}
