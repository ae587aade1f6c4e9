using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;

namespace AgentFirm.Llm;

/// <summary>One recorded model call: the request, the answer and its tokens.</summary>
public sealed record Cassette(string Key, string Model, string Request, ModelReply Reply);

/// <summary>
/// Every model call of a recorded run, permanently (no expiry), keyed by the hash of its <see cref="ModelRequest"/>,
/// in one SQLite file. Each row carries a checksum of its answer: a row that does not match (a torn or edited
/// file) is not used. A single INSERT is atomic in SQLite, so a crash never leaves half a row. Export and import
/// move recordings between machines as JSON lines.
/// </summary>
public sealed class CassetteStore
{
    private readonly string _connectionString;
    private readonly SemaphoreSlim _schema = new(1, 1);
    private bool _schemaReady;

    public CassetteStore(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = System.IO.Path.GetFullPath(path);
        // No pooling: the file is released as soon as a call ends (tests delete it; other processes may read it).
        _connectionString = new SqliteConnectionStringBuilder { DataSource = Path, Pooling = false }.ToString();
    }

    public string Path { get; }

    private string? _firstMiss;

    /// <summary>The first request a replay asked for and did not find (the run cannot be reproduced); null when none.</summary>
    public string? FirstMiss => Volatile.Read(ref _firstMiss);

    internal void RecordMiss(string message) => Interlocked.CompareExchange(ref _firstMiss, message, null);

    /// <summary>The recorded call, or null when there is none or its row fails its checksum.</summary>
    public async Task<Cassette?> TryGetAsync(string key, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT model, request, response, input_tokens, output_tokens, checksum FROM cassettes WHERE key = $key";
        command.Parameters.AddWithValue("$key", key);
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        if (!await reader.ReadAsync(ct).ConfigureAwait(false)) return null;
        var row = new Cassette(key, reader.GetString(0), reader.GetString(1), new ModelReply(reader.GetString(2), reader.GetInt32(3), reader.GetInt32(4)));
        return string.Equals(Checksum(row), reader.GetString(5), StringComparison.Ordinal) ? row : null;
    }

    public async Task PutAsync(Cassette cassette, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        await PutAsync(connection, cassette, ct).ConfigureAwait(false);
    }

    public async Task<long> CountAsync(CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM cassettes";
        return (long)(await command.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
    }

    /// <summary>Every cassette as one JSON object per line, in key order (so two exports of the same calls are equal).</summary>
    public async Task<int> ExportAsync(TextWriter output, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT key, model, request, response, input_tokens, output_tokens FROM cassettes ORDER BY key";
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var count = 0;
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            var line = new JsonObject
            {
                ["key"] = reader.GetString(0),
                ["model"] = reader.GetString(1),
                ["request"] = JsonNode.Parse(reader.GetString(2)),
                ["response"] = reader.GetString(3),
                ["input_tokens"] = reader.GetInt32(4),
                ["output_tokens"] = reader.GetInt32(5),
            };
            await output.WriteLineAsync(line.ToJsonString()).ConfigureAwait(false);
            count++;
        }
        return count;
    }

    /// <summary>
    /// Adds the cassettes of an export. Each line's key must be the hash of its request (an edited line is refused
    /// with its line number, nothing of the file is stored); a key already here keeps its recording.
    /// </summary>
    public async Task<(int Added, int Known)> ImportAsync(TextReader input, CancellationToken ct)
    {
        var rows = new List<Cassette>();
        var number = 0;
        while (await input.ReadLineAsync(ct).ConfigureAwait(false) is { } line)
        {
            number++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            Cassette row;
            try
            {
                var json = JsonNode.Parse(line)!.AsObject();
                var request = ModelRequest.FromJson(json["request"]!.ToJsonString());
                row = new Cassette((string)json["key"]!, (string)json["model"]!, request.CanonicalJson(),
                    new ModelReply((string)json["response"]!, (int)json["input_tokens"]!, (int)json["output_tokens"]!));
                if (row.Key != request.Key()) throw new InvalidDataException($"line {number}: the key is not the hash of the request (edited?)");
            }
            catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or NullReferenceException or FormatException or ArgumentException)
            {
                throw new InvalidDataException($"line {number}: not a cassette ({e.Message})", e);
            }
            rows.Add(row);
        }
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
        var added = 0;
        foreach (var row in rows)
            if (await PutAsync(connection, row, ct, replace: false).ConfigureAwait(false)) added++;
        await transaction.CommitAsync(ct).ConfigureAwait(false);
        return (added, rows.Count - added);
    }

    private static async Task<bool> PutAsync(SqliteConnection connection, Cassette c, CancellationToken ct, bool replace = true)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            INSERT INTO cassettes (key, model, request, response, input_tokens, output_tokens, checksum, created_utc)
            VALUES ($key, $model, $request, $response, $in, $out, $checksum, $created)
            ON CONFLICT(key) DO {(replace ? "UPDATE SET model = excluded.model, request = excluded.request, response = excluded.response, input_tokens = excluded.input_tokens, output_tokens = excluded.output_tokens, checksum = excluded.checksum, created_utc = excluded.created_utc" : "NOTHING")}
            """;
        command.Parameters.AddWithValue("$key", c.Key);
        command.Parameters.AddWithValue("$model", c.Model);
        command.Parameters.AddWithValue("$request", c.Request);
        command.Parameters.AddWithValue("$response", c.Reply.Text);
        command.Parameters.AddWithValue("$in", c.Reply.InputTokens);
        command.Parameters.AddWithValue("$out", c.Reply.OutputTokens);
        command.Parameters.AddWithValue("$checksum", Checksum(c));
        command.Parameters.AddWithValue("$created", DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture));
        return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false) > 0;
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken ct)
    {
        if (System.IO.Path.GetDirectoryName(Path) is { Length: > 0 } folder) Directory.CreateDirectory(folder);
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(ct).ConfigureAwait(false);
            await EnsureSchemaAsync(connection, ct).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task EnsureSchemaAsync(SqliteConnection connection, CancellationToken ct)
    {
        if (Volatile.Read(ref _schemaReady)) return;
        await _schema.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (_schemaReady) return;
            await using var command = connection.CreateCommand();
            // WAL: readers (a dashboard, a second backtest) never block the writer.
            command.CommandText = """
                PRAGMA journal_mode = WAL;
                CREATE TABLE IF NOT EXISTS cassettes (
                    key TEXT PRIMARY KEY NOT NULL,
                    model TEXT NOT NULL,
                    request TEXT NOT NULL,
                    response TEXT NOT NULL,
                    input_tokens INTEGER NOT NULL,
                    output_tokens INTEGER NOT NULL,
                    checksum TEXT NOT NULL,
                    created_utc TEXT NOT NULL);
                """;
            await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            Volatile.Write(ref _schemaReady, true);
        }
        finally
        {
            _schema.Release();
        }
    }

    // The answer and its tokens: what a replay takes from the row.
    private static string Checksum(Cassette c) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
        string.Create(CultureInfo.InvariantCulture, $"{c.Key}\n{c.Reply.InputTokens}\n{c.Reply.OutputTokens}\n{c.Reply.Text}"))));
}
