using AgentFirm.Core;

namespace AgentFirm.Dashboard.Model;

/// <summary>One live session as its ledger tells it (the ledger outlives the host: a restart starts a new session).</summary>
/// <param name="Start">Market time of its first and last ledger entries.</param>
/// <param name="Current">The session this host is running now.</param>
public sealed record SessionSummary(
    string Id,
    DateTimeOffset Start,
    DateTimeOffset End,
    long Steps,
    int Entries,
    int Orders,
    int Fills,
    int Vetoes,
    double Deposited,
    double FeesPaid,
    bool Current);

/// <summary>
/// The past sessions kept in the host's database. Optional: a host that does not register one gets a
/// sessions page that says so.
/// </summary>
public interface ISessionArchive
{
    /// <summary>Every session in the ledger, newest first.</summary>
    Task<IReadOnlyList<SessionSummary>> SessionsAsync();

    /// <summary>Up to <paramref name="take"/> of a session's ledger entries after a sequence number (they run from 1 without gaps).</summary>
    Task<IReadOnlyList<LedgerEntry>> EntriesAsync(string sessionId, long afterSequence, int take);
}
