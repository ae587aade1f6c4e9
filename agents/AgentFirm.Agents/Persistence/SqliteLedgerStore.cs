using System.Globalization;
using AgentFirm.Core;
using Microsoft.Data.Sqlite;

namespace AgentFirm.Agents.Persistence;

/// <summary>Raised when an append does not continue the stored sequence: someone else wrote, or a retry repeated.</summary>
public sealed class LedgerConflictException(string message) : Exception(message);

/// <summary>
/// The ledger's event log: one row per entry, keyed by (ledger, sequence), appended in one transaction
/// per batch. The primary key makes a duplicate or a lost update impossible rather than unlikely.
/// </summary>
public sealed class SqliteLedgerStore(SqliteDatabase database) : ILedgerStore
{
    public async Task AppendAsync(string ledgerId, IReadOnlyList<LedgerEntry> entries, CancellationToken ct = default)
    {
        if (entries.Count == 0) return;
        await using var connection = database.Open();
        await using var transaction = connection.BeginTransaction();
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO ledger_entries (ledger_id, sequence, step, time, kind, symbol, side, quantity, price, fee, amount, order_id, note)
            VALUES ($ledger, $seq, $step, $time, $kind, $symbol, $side, $qty, $price, $fee, $amount, $order, $note)
            """;
        var p = command.Parameters;
        p.Add("$ledger", SqliteType.Text).Value = ledgerId;
        var seq = p.Add("$seq", SqliteType.Integer);
        var step = p.Add("$step", SqliteType.Integer);
        var time = p.Add("$time", SqliteType.Text);
        var kind = p.Add("$kind", SqliteType.Integer);
        var symbol = p.Add("$symbol", SqliteType.Text);
        var side = p.Add("$side", SqliteType.Integer);
        var qty = p.Add("$qty", SqliteType.Real);
        var price = p.Add("$price", SqliteType.Real);
        var fee = p.Add("$fee", SqliteType.Real);
        var amount = p.Add("$amount", SqliteType.Real);
        var order = p.Add("$order", SqliteType.Integer);
        var note = p.Add("$note", SqliteType.Text);
        try
        {
            foreach (var e in entries)
            {
                seq.Value = e.Sequence;
                step.Value = e.Step;
                time.Value = e.Time.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
                kind.Value = (int)e.Kind;
                symbol.Value = e.Symbol;
                side.Value = (int)e.Side;
                qty.Value = e.Quantity;
                price.Value = e.Price;
                fee.Value = e.Fee;
                amount.Value = e.Amount;
                order.Value = e.OrderId;
                note.Value = (object?)e.Note ?? DBNull.Value;
                await command.ExecuteNonQueryAsync(ct);
            }
            await transaction.CommitAsync(ct);
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == 19) // SQLITE_CONSTRAINT: the sequence is taken
        {
            throw LedgerRows.Conflict(ledgerId, entries, ex.Message);
        }
    }

    public async Task<List<LedgerEntry>> ReadAsync(string ledgerId, long afterSequence = 0, int max = int.MaxValue, CancellationToken ct = default)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = $$"""
            SELECT {{LedgerRows.Columns}}
            FROM ledger_entries WHERE ledger_id = $ledger AND sequence > $after ORDER BY sequence LIMIT $max
            """;
        command.Parameters.AddWithValue("$ledger", ledgerId);
        command.Parameters.AddWithValue("$after", afterSequence);
        command.Parameters.AddWithValue("$max", max);
        var entries = new List<LedgerEntry>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            entries.Add(LedgerRows.Read(reader, r => DateTimeOffset.Parse(r.GetString(2), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal)));
        return entries;
    }
}
