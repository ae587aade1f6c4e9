using Npgsql;

namespace AgentFirm.Agents.Persistence;

/// <summary>One versioned step of the cluster database's schema; applied once, in order, never edited after release.</summary>
public sealed record SchemaMigration(int Version, string Name, string Sql);

/// <summary>
/// The cluster profile's PostgreSQL database: the ledger, backtest results, sweep runs, the audit log and the dashboard's users in the project's own
/// schema. <see cref="MigrateAsync"/> brings the schema to the newest version this build knows, under an advisory
/// lock so that silos starting together apply each migration exactly once.
/// </summary>
public sealed class PostgresDatabase : IAsyncDisposable
{
    /// <summary>Arbitrary but fixed: the advisory lock every silo takes while migrating.</summary>
    private const long MigrationLock = 0x4167_4669_726D;

    /// <summary>The schema's history. Append a new version to change it; a released step is never rewritten.</summary>
    public static readonly IReadOnlyList<SchemaMigration> Migrations =
    [
        new(1, "ledger", """
            CREATE TABLE ledger_entries (
                firm TEXT NOT NULL, sequence BIGINT NOT NULL, step BIGINT NOT NULL, time TIMESTAMPTZ NOT NULL, kind INTEGER NOT NULL,
                symbol TEXT NOT NULL, side INTEGER NOT NULL, quantity DOUBLE PRECISION NOT NULL, price DOUBLE PRECISION NOT NULL,
                fee DOUBLE PRECISION NOT NULL, amount DOUBLE PRECISION NOT NULL, order_id BIGINT NOT NULL, note TEXT,
                recorded_at TIMESTAMPTZ NOT NULL DEFAULT now(),
                CONSTRAINT ledger_entries_firm_sequence UNIQUE (firm, sequence));
            """),
        new(2, "backtest results and audit", """
            CREATE TABLE backtest_results (
                run_id TEXT PRIMARY KEY, firm TEXT NOT NULL, strategy TEXT NOT NULL, created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
                report JSONB NOT NULL);
            CREATE TABLE audit_log (
                id BIGSERIAL PRIMARY KEY, at TIMESTAMPTZ NOT NULL DEFAULT now(), actor TEXT NOT NULL, action TEXT NOT NULL,
                firm TEXT, detail TEXT);
            CREATE INDEX audit_log_firm_at ON audit_log (firm, at);
            """),
        new(3, "sweep runs", """
            CREATE TABLE sweep_runs (
                sweep TEXT NOT NULL, run_key TEXT NOT NULL, status TEXT NOT NULL, exit_code INTEGER NOT NULL, silo TEXT NOT NULL,
                seconds DOUBLE PRECISION NOT NULL, settings JSONB NOT NULL, report JSONB, error TEXT,
                finished_at TIMESTAMPTZ NOT NULL DEFAULT now(),
                PRIMARY KEY (sweep, run_key));
            """),
        new(4, "users", """
            CREATE TABLE users (
                name TEXT PRIMARY KEY, role TEXT NOT NULL CHECK (role IN ('viewer', 'operator')), password_hash TEXT NOT NULL,
                created_at TIMESTAMPTZ NOT NULL DEFAULT now());
            """),
    ];

    private readonly NpgsqlDataSource _source;

    public PostgresDatabase(string connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
            throw new ArgumentException("AgentFirm:Cluster:Postgres is empty: give a PostgreSQL connection string (Host=...;Port=...;Username=...;Database=...).");
        _source = NpgsqlDataSource.Create(connectionString);
    }

    public ValueTask<NpgsqlConnection> OpenAsync(CancellationToken ct = default) => _source.OpenConnectionAsync(ct);

    /// <summary>Applies the migrations the database lacks; returns the versions it applied (none when up to date).</summary>
    public async Task<IReadOnlyList<int>> MigrateAsync(CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await Execute(connection, transaction, $"SELECT pg_advisory_xact_lock({MigrationLock})", ct);
        await Execute(connection, transaction, """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())
            """, ct);
        var current = await CurrentVersion(connection, transaction, ct);
        var newest = Migrations[^1].Version;
        if (current > newest)
            throw new InvalidOperationException($"The cluster database is at schema version {current}, newer than this build's {newest}: run a build at least as new.");
        var applied = new List<int>();
        foreach (var migration in Migrations.Where(m => m.Version > current))
        {
            await Execute(connection, transaction, migration.Sql, ct);
            await using var record = new NpgsqlCommand("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", connection, transaction);
            record.Parameters.AddWithValue(migration.Version);
            record.Parameters.AddWithValue(migration.Name);
            await record.ExecuteNonQueryAsync(ct);
            applied.Add(migration.Version);
        }
        await transaction.CommitAsync(ct);
        return applied;
    }

    /// <summary>The newest applied schema version (0 for an empty database).</summary>
    public async Task<int> SchemaVersionAsync(CancellationToken ct = default)
    {
        await using var connection = await OpenAsync(ct);
        await using var exists = new NpgsqlCommand("SELECT to_regclass('schema_migrations') IS NOT NULL", connection);
        if (!(bool)(await exists.ExecuteScalarAsync(ct))!) return 0;
        return await CurrentVersion(connection, null, ct);
    }

    private static async Task<int> CurrentVersion(NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", connection, transaction);
        return (int)(await command.ExecuteScalarAsync(ct))!;
    }

    private static async Task Execute(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(ct);
    }

    public ValueTask DisposeAsync() => _source.DisposeAsync();
}
