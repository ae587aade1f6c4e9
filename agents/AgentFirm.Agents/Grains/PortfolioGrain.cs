using AgentFirm.Agents.Contracts;
using AgentFirm.Agents.Persistence;
using AgentFirm.Core;
using Microsoft.Extensions.Logging;

namespace AgentFirm.Agents.Grains;

/// <summary>
/// The firm's event-sourced ledger. Every entry is written to the ledger store (SQLite or PostgreSQL) before it changes the
/// in-memory fold; on activation the whole log is replayed, so a restarted silo resumes with exactly
/// what was recorded. Appends are idempotent: a retried batch that was already stored is skipped.
/// </summary>
public sealed class PortfolioGrain(ILedgerStore store, ILogger<PortfolioGrain> logger) : Grain, IPortfolioGrain
{
    private Ledger _ledger = NewLedger();
    private string LedgerId => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _ledger = NewLedger();
        foreach (var entry in await store.ReadAsync(LedgerId, ct: cancellationToken)) _ledger.Apply(entry);
        if (_ledger.LastSequence > 0) logger.LogInformation("Ledger {Ledger} replayed {Count} entries", LedgerId, _ledger.LastSequence);
    }

    public async Task OpenAsync(FirmSetup setup)
    {
        if (_ledger.LastSequence > 0) return; // already open (a restart or a retry)
        await AppendAsync(new LedgerBatch([new LedgerEntry(1, 0, setup.Start, LedgerEntryKind.Deposit, setup.QuoteCurrency, Amount: setup.InitialCash, Note: "initial capital")]));
    }

    public async Task AppendAsync(LedgerBatch batch)
    {
        var fresh = batch.Entries.Where(e => e.Sequence > _ledger.LastSequence).ToArray();
        if (fresh.Length == 0) return;
        if (fresh[0].Sequence != _ledger.LastSequence + 1)
            throw new LedgerConflictException($"Ledger {LedgerId}: batch starts at {fresh[0].Sequence} but the next sequence is {_ledger.LastSequence + 1}.");
        await store.AppendAsync(LedgerId, fresh);
        foreach (var entry in fresh) _ledger.Apply(entry);
    }

    public Task<long> LastSequenceAsync() => Task.FromResult(_ledger.LastSequence);

    public Task<LedgerSummary> SummaryAsync(Dictionary<string, double> marks) => Task.FromResult(new LedgerSummary(
        _ledger.LastSequence,
        _ledger.Cash,
        _ledger.Equity(s => marks.TryGetValue(s, out var m) ? m : 0),
        _ledger.Positions.ToDictionary(p => p.Key, p => p.Value.Quantity),
        _ledger.Fills,
        _ledger.Vetoes,
        _ledger.FeesPaid,
        _ledger.FundingPayments,
        _ledger.LastStep));

    public async Task<LedgerEntry[]> EntriesAsync(long afterSequence, int max) => (await store.ReadAsync(LedgerId, afterSequence, max)).ToArray();

    private static Ledger NewLedger() => new([], "");
}
