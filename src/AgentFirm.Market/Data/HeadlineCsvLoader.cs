using System.Globalization;
using System.Text;
using AgentFirm.Core;

namespace AgentFirm.Market.Data;

/// <summary>
/// Reads the shared text schema (timestamp,text,label,source; RFC 4180 quoting, so commas and quotes in
/// headlines survive). Rows without a timestamp (undated corpora) cannot be placed on the clock and are
/// skipped and counted; a timestamp that does not parse is an error naming file, row and field.
/// </summary>
public static class HeadlineCsvLoader
{
    public sealed record Result(IReadOnlyList<Headline> Headlines, int UndatedRows);

    public static Result Load(string path, string? symbol = null)
    {
        var file = Path.GetFileName(path);
        using var reader = new StreamReader(path, Encoding.UTF8);
        var row = 1L;
        var header = ReadRecord(reader, ref row) ?? throw new BadInputException(file, 1, "header", "the file is empty");
        int Column(string name) => header.FindIndex(h => h.Equals(name, StringComparison.OrdinalIgnoreCase)) is var i and >= 0
            ? i : throw new BadInputException(file, 1, "header", $"no '{name}' column (found {string.Join(",", header)})");
        int time = Column("timestamp"), text = Column("text");
        int label = header.FindIndex(h => h.Equals("label", StringComparison.OrdinalIgnoreCase));
        int source = header.FindIndex(h => h.Equals("source", StringComparison.OrdinalIgnoreCase));

        var headlines = new List<Headline>();
        var undated = 0;
        while (true)
        {
            var start = row + 1;
            var fields = ReadRecord(reader, ref row);
            if (fields is null) break;
            if (fields.Count != header.Count) throw new BadInputException(file, start, "columns", $"{fields.Count} fields, the header has {header.Count}");
            if (fields[time].Length == 0) { undated++; continue; }
            if (!DateTimeOffset.TryParse(fields[time], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at))
                throw new BadInputException(file, start, "timestamp", $"'{fields[time]}' is not an ISO-8601 time");
            headlines.Add(new Headline(at, fields[text], label >= 0 && fields[label].Length > 0 ? fields[label] : null,
                source >= 0 ? fields[source] : file, symbol));
        }
        return new Result(headlines, undated);
    }

    /// <summary>One CSV record (a quoted field may span lines); null at the end of the file.</summary>
    internal static List<string>? ReadRecord(TextReader reader, ref long row)
    {
        var line = reader.ReadLine();
        if (line is null) return null;
        row++;
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; ; i++)
        {
            if (i == line.Length)
            {
                if (!quoted) break;
                var next = reader.ReadLine() ?? throw new BadInputException("text", row, "text", "a quoted field is never closed");
                row++;
                field.Append('\n');
                line = next;
                i = -1;
                continue;
            }
            var c = line[i];
            if (quoted)
            {
                if (c != '"') field.Append(c);
                else if (i + 1 < line.Length && line[i + 1] == '"') { field.Append('"'); i++; }
                else quoted = false;
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { fields.Add(field.ToString()); field.Clear(); }
            else field.Append(c);
        }
        fields.Add(field.ToString());
        return fields;
    }
}
