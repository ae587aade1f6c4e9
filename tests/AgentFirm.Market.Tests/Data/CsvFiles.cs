using AgentFirm.TestSupport;

namespace AgentFirm.Market.Tests.Data;

/// <summary>Small CSV fixtures written to a temp folder; row numbers in tests count the header as line 1.</summary>
internal static class CsvFiles
{
    public const string Header = "timestamp,open,high,low,close,volume";

    /// <summary>Three good hourly rows (lines 2-4) from 2024-01-01T00:00Z.</summary>
    public static readonly string[] GoodRows =
    [
        "2024-01-01T00:00:00Z,100,110,95,105,12.5",
        "2024-01-01T01:00:00Z,105,108,101,102,7",
        "2024-01-01T02:00:00Z,102,104,99,103,0",
    ];

    public static string Write(TempFolder folder, string name, params string[] lines)
    {
        var path = folder.File(name);
        File.WriteAllText(path, string.Join('\n', lines) + "\n");
        return path;
    }

    /// <summary>Header plus the good rows with one line replaced (line numbers as in the file, header = 1).</summary>
    public static string WithLine(TempFolder folder, int line, string replacement)
    {
        var lines = new List<string> { Header };
        lines.AddRange(GoodRows);
        lines[line - 1] = replacement;
        return Write(folder, "TEST-USDT.csv", [.. lines]);
    }
}
