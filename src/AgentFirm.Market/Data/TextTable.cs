using System.Text;
using AgentFirm.Core;

namespace AgentFirm.Market.Data;

/// <summary>One CSV record with the file row it started on (1 = header).</summary>
public sealed record TextTableRow(long Row, IReadOnlyList<string> Fields);

/// <summary>
/// A whole CSV file of text rows with any columns (RFC 4180 quoting, as in the shared text schema), kept
/// verbatim so a scorer can write every input column back out beside its scores.
/// </summary>
public sealed class TextTable
{
    private TextTable(string file, IReadOnlyList<string> header, IReadOnlyList<TextTableRow> rows)
    {
        File = file;
        Header = header;
        Rows = rows;
    }

    public string File { get; }
    public IReadOnlyList<string> Header { get; }
    public IReadOnlyList<TextTableRow> Rows { get; }

    public static TextTable Load(string path)
    {
        var file = Path.GetFileName(path);
        if (!System.IO.File.Exists(path)) throw new BadInputException(file, 0, "file", $"'{path}' does not exist");
        using var reader = new StreamReader(path, Encoding.UTF8);
        var row = 0L;
        var header = HeadlineCsvLoader.ReadRecord(reader, ref row) ?? throw new BadInputException(file, 1, "header", "the file is empty");
        var rows = new List<TextTableRow>();
        while (true)
        {
            var start = row + 1;
            var fields = HeadlineCsvLoader.ReadRecord(reader, ref row);
            if (fields is null) break;
            if (fields.Count == 1 && fields[0].Length == 0 && reader.Peek() < 0) break; // a trailing blank line
            if (fields.Count != header.Count) throw new BadInputException(file, start, "columns", $"{fields.Count} fields, the header has {header.Count}");
            rows.Add(new TextTableRow(start, fields));
        }
        return new TextTable(file, header, rows);
    }

    /// <summary>The index of a column (case-insensitive), or an error naming the file when it is missing.</summary>
    public int Column(string name) =>
        OptionalColumn(name) is var i and >= 0 ? i : throw new BadInputException(File, 1, "header", $"no '{name}' column (found {string.Join(",", Header)})");

    public int OptionalColumn(string name) => Header.ToList().FindIndex(h => h.Trim().Equals(name, StringComparison.OrdinalIgnoreCase));
}

/// <summary>A labelled text from the shared schema: label is negative, neutral or positive.</summary>
public sealed record LabeledText(long Row, string Text, string Label);

public static class LabeledTextCsv
{
    public static readonly IReadOnlyList<string> Labels = ["negative", "neutral", "positive"];

    /// <summary>Reads text and label columns; an empty or unknown label is an error naming file, row and field.</summary>
    public static IReadOnlyList<LabeledText> Load(string path)
    {
        var table = TextTable.Load(path);
        int text = table.Column("text"), label = table.Column("label");
        var items = new List<LabeledText>(table.Rows.Count);
        foreach (var r in table.Rows)
        {
            var value = r.Fields[label].Trim().ToLowerInvariant();
            if (!Labels.Contains(value))
                throw new BadInputException(table.File, r.Row, "label", $"'{r.Fields[label]}' is not one of negative|neutral|positive");
            items.Add(new LabeledText(r.Row, r.Fields[text], value));
        }
        if (items.Count == 0) throw new BadInputException(table.File, 1, "rows", "the file has no labelled rows");
        return items;
    }
}
