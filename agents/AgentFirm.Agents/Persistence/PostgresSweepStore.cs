using Npgsql;
using NpgsqlTypes;

namespace AgentFirm.Agents.Persistence;

/// <summary>One finished run of a sweep as stored: its key, outcome, the settings it varied and its report.json.</summary>
public sealed record StoredSweepRun(string Sweep, string RunKey, string Status, int ExitCode, string Silo, double Seconds, string SettingsJson, string? ReportJson, string? Error);

/// <summary>
/// Sweep runs on the cluster's PostgreSQL (table sweep_runs, schema version 3), keyed by (sweep, run key): a run is
/// stored once, so a resumed sweep that finishes a run again leaves the first row as it was.
/// </summary>
public sealed class PostgresSweepStore(PostgresDatabase database)
{
    /// <summary>Stores a finished run; false when the sweep already holds this run key.</summary>
    public async Task<bool> SaveAsync(StoredSweepRun run, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = new NpgsqlCommand("""
            INSERT INTO sweep_runs (sweep, run_key, status, exit_code, silo, seconds, settings, report, error)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (sweep, run_key) DO NOTHING
            """, connection);
        command.Parameters.AddWithValue(run.Sweep);
        command.Parameters.AddWithValue(run.RunKey);
        command.Parameters.AddWithValue(run.Status);
        command.Parameters.AddWithValue(run.ExitCode);
        command.Parameters.AddWithValue(run.Silo);
        command.Parameters.AddWithValue(run.Seconds);
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Jsonb, Value = run.SettingsJson });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Jsonb, Value = (object?)run.ReportJson ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)run.Error ?? DBNull.Value });
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }

    /// <summary>The stored runs of a sweep, by run key.</summary>
    public async Task<IReadOnlyList<StoredSweepRun>> RunsAsync(string sweep, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = new NpgsqlCommand(
            "SELECT sweep, run_key, status, exit_code, silo, seconds, settings::text, report::text, error FROM sweep_runs WHERE sweep = $1 ORDER BY run_key", connection);
        command.Parameters.AddWithValue(sweep);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var runs = new List<StoredSweepRun>();
        while (await reader.ReadAsync(ct))
            runs.Add(new StoredSweepRun(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3), reader.GetString(4), reader.GetDouble(5),
                reader.GetString(6), reader.IsDBNull(7) ? null : reader.GetString(7), reader.IsDBNull(8) ? null : reader.GetString(8)));
        return runs;
    }
}
