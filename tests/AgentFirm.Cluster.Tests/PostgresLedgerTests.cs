using AgentFirm.Agents.Persistence;
using AgentFirm.Core;

namespace AgentFirm.Cluster.Tests;

/// <summary>The PostgreSQL ledger store and its migrations, against a real server.</summary>
[Collection(SiloClusterCollection.Name)]
public sealed class PostgresLedgerTests(SiloCluster cluster)
{
    private static readonly DateTimeOffset T0 = new(2024, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [SkippableFact]
    public async Task Migrations_are_applied_once_and_a_second_start_applies_none()
    {
        Skip.If(cluster.Unavailable is not null, cluster.Unavailable);
        await using var database = new PostgresDatabase(cluster.Servers.Postgres);
        await database.MigrateAsync(); // the silos migrated already; concurrent starts must not apply anything twice
        Assert.Empty(await database.MigrateAsync());
        Assert.Equal(PostgresDatabase.Migrations[^1].Version, await database.SchemaVersionAsync());
    }

    [SkippableFact]
    public async Task Stores_entries_as_given_and_refuses_a_sequence_it_already_holds()
    {
        Skip.If(cluster.Unavailable is not null, cluster.Unavailable);
        await using var database = new PostgresDatabase(cluster.Servers.Postgres);
        await database.MigrateAsync();
        var store = new PostgresLedgerStore(database);
        var firm = $"store-{Guid.NewGuid():N}";
        LedgerEntry[] entries =
        [
            new(1, 0, T0, LedgerEntryKind.Deposit, "USDT", Amount: 100_000, Note: "initial capital"),
            new(2, 3, T0.AddHours(3).AddTicks(10), LedgerEntryKind.Fill, "BTC-USDT", OrderSide.Buy, 0.25, 61_234.5, 15.3, OrderId: 7, Note: "taker"),
            new(3, 3, T0.AddHours(3), LedgerEntryKind.OrderVetoed, "ETH-USDT", OrderSide.Sell, 2, 3_100, Note: null),
        ];
        await store.AppendAsync(firm, entries);

        Assert.Equal(entries, await store.ReadAsync(firm));
        Assert.Equal(entries[1..], await store.ReadAsync(firm, afterSequence: 1));

        // A repeated sequence fails the whole batch: the new entry 4 is not stored either.
        await Assert.ThrowsAsync<LedgerConflictException>(() => store.AppendAsync(firm, [entries[2] with { Note = "again" }, entries[2] with { Sequence = 4 }]));
        Assert.Equal(entries, await store.ReadAsync(firm));
        // Another firm's ledger is its own: the same sequence numbers are free there.
        await store.AppendAsync($"{firm}-other", entries[..1]);
        Assert.Equal(3, (await store.ReadAsync(firm)).Count);
    }

    [SkippableFact]
    public async Task A_backtest_report_is_stored_once_per_run_and_read_back_as_json()
    {
        Skip.If(cluster.Unavailable is not null, cluster.Unavailable);
        await using var database = new PostgresDatabase(cluster.Servers.Postgres);
        await database.MigrateAsync();
        var results = new PostgresResultStore(database);
        var run = $"report-{Guid.NewGuid():N}";
        await results.SaveAsync(run, run, "firm", """{"metrics": {"sharpe": 1.25}, "strategy": "firm"}""");

        var stored = System.Text.Json.Nodes.JsonNode.Parse((await results.ReportAsync(run))!)!;
        Assert.Equal(1.25, stored["metrics"]!["sharpe"]!.GetValue<double>());
        var again = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => results.SaveAsync(run, run, "firm", "{}"));
        Assert.Equal("23505", again.SqlState); // unique violation: a run's report is never replaced silently
        Assert.Null(await results.ReportAsync("no-such-run"));
    }
}
