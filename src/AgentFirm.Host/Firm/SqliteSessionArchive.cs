using System.Globalization;
using AgentFirm.Agents.Persistence;
using AgentFirm.Core;
using AgentFirm.Dashboard.Model;
using Microsoft.Data.Sqlite;

namespace AgentFirm.Host.Firm;

/// <summary>
/// The sessions page's reader over the silo's SQLite ledger (ledger_entries, one ledger per run id). It only
/// reads; WAL mode lets it read while the portfolio grain writes.
/// </summary>
public sealed class SqliteSessionArchive(string databasePath, FirmMonitor monitor) : ISessionArchive
{
    private readonly Lazy<SqliteDatabase> database = new(() => new SqliteDatabase(databasePath));

    public async Task<IReadOnlyList<SessionSummary>> SessionsAsync()
    {
        if (!File.Exists(databasePath)) return [];
        await using var connection = database.Value.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT ledger_id, MIN(time), MAX(time), MAX(step), COUNT(*),
                   SUM(kind = $submitted), SUM(kind = $fill), SUM(kind = $vetoed),
                   SUM(CASE WHEN kind = $deposit THEN amount ELSE 0 END), SUM(fee)
            FROM ledger_entries GROUP BY ledger_id
            """;
        command.Parameters.AddWithValue("$submitted", (int)LedgerEntryKind.OrderSubmitted);
        command.Parameters.AddWithValue("$fill", (int)LedgerEntryKind.Fill);
        command.Parameters.AddWithValue("$vetoed", (int)LedgerEntryKind.OrderVetoed);
        command.Parameters.AddWithValue("$deposit", (int)LedgerEntryKind.Deposit);
        var current = monitor.Run?.RunId;
        var sessions = new List<SessionSummary>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var id = reader.GetString(0);
            sessions.Add(new SessionSummary(id, Time(reader.GetString(1)), Time(reader.GetString(2)), reader.GetInt64(3), reader.GetInt32(4),
                reader.GetInt32(5), reader.GetInt32(6), reader.GetInt32(7), reader.GetDouble(8), reader.GetDouble(9), id == current));
        }
        // Live run ids carry their wall-clock start (live-yyyyMMdd-HHmmss), so the newest sorts first by name.
        return sessions.OrderByDescending(s => s.Id, StringComparer.Ordinal).ToArray();
    }

    public async Task<IReadOnlyList<LedgerEntry>> EntriesAsync(string sessionId, long afterSequence, int take) =>
        File.Exists(databasePath) ? await new SqliteLedgerStore(database.Value).ReadAsync(sessionId, afterSequence, take) : [];

    private static DateTimeOffset Time(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
