using System.Text.Json;
using Orleans.Runtime;
using Orleans.Storage;

namespace AgentFirm.Agents.Persistence;

/// <summary>
/// Grain state on SQLite (no Orleans SQLite provider exists): one JSON row per (state name, grain),
/// with an ETag for optimistic concurrency, so two activations can never silently overwrite each other.
/// </summary>
public sealed class SqliteGrainStorage(SqliteDatabase database) : IGrainStorage
{
    private static readonly JsonSerializerOptions Json = new() { IncludeFields = true };

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT etag, data FROM grain_state WHERE state_name = $name AND grain_id = $id";
        command.Parameters.AddWithValue("$name", stateName);
        command.Parameters.AddWithValue("$id", grainId.ToString());
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync())
        {
            grainState.RecordExists = false;
            grainState.ETag = null;
            return;
        }
        grainState.ETag = reader.GetString(0);
        grainState.State = JsonSerializer.Deserialize<T>(reader.GetString(1), Json)!;
        grainState.RecordExists = true;
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var newEtag = Guid.NewGuid().ToString("N");
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.Parameters.AddWithValue("$name", stateName);
        command.Parameters.AddWithValue("$id", grainId.ToString());
        command.Parameters.AddWithValue("$data", JsonSerializer.Serialize(grainState.State, Json));
        command.Parameters.AddWithValue("$etag", newEtag);
        if (grainState.ETag is null)
        {
            command.CommandText = "INSERT OR IGNORE INTO grain_state (state_name, grain_id, etag, data) VALUES ($name, $id, $etag, $data)";
        }
        else
        {
            command.CommandText = "UPDATE grain_state SET etag = $etag, data = $data WHERE state_name = $name AND grain_id = $id AND etag = $old";
            command.Parameters.AddWithValue("$old", grainState.ETag);
        }
        if (await command.ExecuteNonQueryAsync() != 1)
            throw new InconsistentStateException($"State '{stateName}' of {grainId} was changed by someone else (ETag {grainState.ETag ?? "none"} is stale).");
        grainState.ETag = newEtag;
        grainState.RecordExists = true;
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM grain_state WHERE state_name = $name AND grain_id = $id";
        command.Parameters.AddWithValue("$name", stateName);
        command.Parameters.AddWithValue("$id", grainId.ToString());
        await command.ExecuteNonQueryAsync();
        grainState.ETag = null;
        grainState.RecordExists = false;
        grainState.State = Activator.CreateInstance<T>();
    }
}
