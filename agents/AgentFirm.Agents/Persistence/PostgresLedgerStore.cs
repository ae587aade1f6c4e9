using AgentFirm.Core;
using Npgsql;
using NpgsqlTypes;

namespace AgentFirm.Agents.Persistence;

/// <summary>
/// The ledger on PostgreSQL (cluster profile): one row per entry, unique on (firm, sequence), each batch in one
/// transaction. A batch that repeats a stored sequence (a retried step that did reach the database) fails whole
/// with <see cref="LedgerConflictException"/>; the portfolio grain never sends one, because it skips what it replayed.
/// </summary>
public sealed class PostgresLedgerStore(PostgresDatabase database) : ILedgerStore
{
    private const string UniqueViolation = "23505";

    public async Task AppendAsync(string ledgerId, IReadOnlyList<LedgerEntry> entries, CancellationToken ct = default)
    {
        if (entries.Count == 0) return;
        await using var connection = await database.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using var batch = new NpgsqlBatch(connection, transaction);
        foreach (var e in entries)
        {
            var command = new NpgsqlBatchCommand("""
                INSERT INTO ledger_entries (firm, sequence, step, time, kind, symbol, side, quantity, price, fee, amount, order_id, note)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
                """);
            var p = command.Parameters;
            p.AddWithValue(ledgerId);
            p.AddWithValue(e.Sequence);
            p.AddWithValue(e.Step);
            p.AddWithValue(e.Time.ToUniversalTime());
            p.AddWithValue((int)e.Kind);
            p.AddWithValue(e.Symbol);
            p.AddWithValue((int)e.Side);
            p.AddWithValue(e.Quantity);
            p.AddWithValue(e.Price);
            p.AddWithValue(e.Fee);
            p.AddWithValue(e.Amount);
            p.AddWithValue(e.OrderId);
            p.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)e.Note ?? DBNull.Value });
            batch.BatchCommands.Add(command);
        }
        try
        {
            await batch.ExecuteNonQueryAsync(ct);
            await transaction.CommitAsync(ct);
        }
        catch (PostgresException ex) when (ex.SqlState == UniqueViolation)
        {
            throw LedgerRows.Conflict(ledgerId, entries, ex.MessageText);
        }
    }

    public async Task<List<LedgerEntry>> ReadAsync(string ledgerId, long afterSequence = 0, int max = int.MaxValue, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = new NpgsqlCommand($$"""
            SELECT {{LedgerRows.Columns}}
            FROM ledger_entries WHERE firm = $1 AND sequence > $2 ORDER BY sequence LIMIT $3
            """, connection);
        command.Parameters.AddWithValue(ledgerId);
        command.Parameters.AddWithValue(afterSequence);
        command.Parameters.AddWithValue((long)max);
        var entries = new List<LedgerEntry>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            entries.Add(LedgerRows.Read(reader, r => new DateTimeOffset(r.GetFieldValue<DateTime>(2), TimeSpan.Zero)));
        return entries;
    }
}
