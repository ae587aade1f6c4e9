using AgentFirm.Core;

namespace AgentFirm.Host.Cli;

/// <summary>
/// A small CSV of numbers with a header, as `stats` and `causal` read it: plain comma-separated cells (quotes
/// trimmed), blank lines skipped, every row as wide as the header, each kept with its line number for errors.
/// </summary>
internal static class HeaderedCsv
{
    public static (string[] Header, List<(long Row, string[] Cells)> Lines) Read(string file)
    {
        if (!File.Exists(file)) throw new BadInputException($"{file}: file not found");
        using var reader = new StreamReader(file);
        var headerLine = reader.ReadLine();
        if (string.IsNullOrWhiteSpace(headerLine)) throw new BadInputException($"{file}: empty file, a header row is expected");
        var header = Split(headerLine);
        var lines = new List<(long, string[])>();
        long row = 1;
        while (reader.ReadLine() is { } line)
        {
            row++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            var cells = Split(line);
            if (cells.Length != header.Length)
                throw new BadInputException(file, row, cells.Length < header.Length ? header[cells.Length] : header[^1], $"expected {header.Length} fields, found {cells.Length}");
            lines.Add((row, cells));
        }
        return (header, lines);
    }

    private static string[] Split(string line) => line.Split(',').Select(c => c.Trim().Trim('"')).ToArray();
}
