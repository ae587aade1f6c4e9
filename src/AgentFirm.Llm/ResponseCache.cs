using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace AgentFirm.Llm;

/// <summary>
/// Model answers by request hash in a SQLite file, so a backtest replays exactly and without paying twice.
/// Each row carries a checksum of its answer: a row that does not match (a torn or edited file) is ignored
/// with a log line and asked again. A single INSERT is atomic in SQLite, so a crash never leaves half a row.
/// </summary>
public sealed class ResponseCache
{
    private readonly string _connectionString;
    private readonly ILogger<ResponseCache> _logger;
    private readonly SemaphoreSlim _schema = new(1, 1);
    private bool _schemaReady;

    public ResponseCache(string path, ILogger<ResponseCache> logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = System.IO.Path.GetFullPath(path);
        _logger = logger;
        // No pooling: the file is released as soon as a call ends (tests delete it; other processes may read it).
        _connectionString = new SqliteConnectionStringBuilder { DataSource = Path, Pooling = false }.ToString();
    }

    public string Path { get; }

    /// <summary>SHA-256 (hex) of everything that decides an answer: model, prompt text and sampling settings.</summary>
    public static string KeyOf(string model, RenderedPrompt prompt, string settings)
    {
        // Length-prefixed parts, so moving text between system and user message changes the key.
        var canonical = new StringBuilder();
        foreach (var part in new[] { model, prompt.System, prompt.User, settings })
            canonical.Append(part.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(part).Append('\n');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToString())));
    }

    public async Task<string?> TryGetAsync(string key, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT response, checksum FROM responses WHERE key = $key";
        command.Parameters.AddWithValue("$key", key);
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        if (!await reader.ReadAsync(ct).ConfigureAwait(false)) return null;
        try
        {
            var response = reader.GetString(0);
            var checksum = reader.GetString(1);
            if (string.Equals(Checksum(response), checksum, StringComparison.Ordinal)) return response;
            _logger.LogWarning("LLM response cache {Path}: row {Key} fails its checksum; ignored and asked again", Path, key);
        }
        catch (Exception e) when (e is InvalidCastException or FormatException or SqliteException)
        {
            _logger.LogWarning("LLM response cache {Path}: row {Key} is unreadable ({Error}); ignored and asked again", Path, key, e.GetType().Name);
        }
        return null;
    }

    public async Task PutAsync(string key, string model, string response, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO responses (key, model, response, checksum, created_utc) VALUES ($key, $model, $response, $checksum, $created)
            ON CONFLICT(key) DO UPDATE SET model = excluded.model, response = excluded.response,
                checksum = excluded.checksum, created_utc = excluded.created_utc
            """;
        command.Parameters.AddWithValue("$key", key);
        command.Parameters.AddWithValue("$model", model);
        command.Parameters.AddWithValue("$response", response);
        command.Parameters.AddWithValue("$checksum", Checksum(response));
        command.Parameters.AddWithValue("$created", DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture));
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
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
                CREATE TABLE IF NOT EXISTS responses (
                    key TEXT PRIMARY KEY NOT NULL,
                    model TEXT NOT NULL,
                    response TEXT NOT NULL,
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

    private static string Checksum(string response) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(response)));
}
