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
