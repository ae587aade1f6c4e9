using Npgsql;
using NpgsqlTypes;

namespace AgentFirm.Agents.Persistence;

/// <summary>Backtest reports on the cluster's PostgreSQL (table backtest_results, schema version 2), one row per run.</summary>
public sealed class PostgresResultStore(PostgresDatabase database)
{
    /// <summary>Stores a run's report.json; a run id is stored once (a second save of the same run is refused).</summary>
    public async Task SaveAsync(string runId, string firm, string strategy, string reportJson, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = new NpgsqlCommand("INSERT INTO backtest_results (run_id, firm, strategy, report) VALUES ($1, $2, $3, $4)", connection);
        command.Parameters.AddWithValue(runId);
        command.Parameters.AddWithValue(firm);
        command.Parameters.AddWithValue(strategy);
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Jsonb, Value = reportJson });
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The stored report of a run, or null.</summary>
    public async Task<string?> ReportAsync(string runId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = new NpgsqlCommand("SELECT report::text FROM backtest_results WHERE run_id = $1", connection);
        command.Parameters.AddWithValue(runId);
        return await command.ExecuteScalarAsync(ct) as string;
    }
}
