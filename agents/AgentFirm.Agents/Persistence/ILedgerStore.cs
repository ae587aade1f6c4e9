using System.Data.Common;
using AgentFirm.Core;

namespace AgentFirm.Agents.Persistence;

/// <summary>
/// Where a firm's ledger events live: SQLite in the embedded profile, PostgreSQL in the cluster profile.
/// Both key an entry by (ledger, sequence), so an append that repeats a stored sequence fails instead of
/// storing an event twice.
/// </summary>
public interface ILedgerStore
{
    /// <summary>Appends the entries in one transaction; <see cref="LedgerConflictException"/> when a sequence is taken.</summary>
    Task AppendAsync(string ledgerId, IReadOnlyList<LedgerEntry> entries, CancellationToken ct = default);

    /// <summary>The entries after <paramref name="afterSequence"/>, in sequence order.</summary>
    Task<List<LedgerEntry>> ReadAsync(string ledgerId, long afterSequence = 0, int max = int.MaxValue, CancellationToken ct = default);
}

/// <summary>The stores' shared row layout: both select the same twelve columns in this order, only the time's type differs.</summary>
internal static class LedgerRows
{
    public const string Columns = "sequence, step, time, kind, symbol, side, quantity, price, fee, amount, order_id, note";

    /// <summary>The entry in the reader's current row; <paramref name="time"/> reads column 2 as the store keeps it.</summary>
    public static LedgerEntry Read(DbDataReader reader, Func<DbDataReader, DateTimeOffset> time) => new(
        reader.GetInt64(0),
        reader.GetInt64(1),
        time(reader),
        (LedgerEntryKind)reader.GetInt32(3),
        reader.GetString(4),
        (OrderSide)reader.GetInt32(5),
        reader.GetDouble(6),
        reader.GetDouble(7),
        reader.GetDouble(8),
        reader.GetDouble(9),
        reader.GetInt64(10),
        reader.IsDBNull(11) ? null : reader.GetString(11));

    public static LedgerConflictException Conflict(string ledgerId, IReadOnlyList<LedgerEntry> entries, string detail) =>
        new($"Ledger {ledgerId}: entries {entries[0].Sequence}..{entries[^1].Sequence} collide with stored ones ({detail}).");
}
