using AgentFirm.Agents.Persistence;
using AgentFirm.Core;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace AgentFirm.Host.Auth;

/// <summary>The two roles: a viewer sees every page; only an operator engages the kill switch or resets a halted firm.</summary>
public static class Roles
{
    public const string Viewer = "viewer";
    public const string Operator = "operator";

    public static string Parse(string text) => text.Trim().ToLowerInvariant() switch
    {
        Viewer => Viewer,
        Operator => Operator,
        _ => throw new BadInputException($"--role '{text}' is not viewer or operator."),
    };
}

/// <summary>One person who may sign in: the name, the role and the password's PBKDF2 hash (never the password).</summary>
public sealed record UserAccount(string Name, string Role, string PasswordHash);

/// <summary>Where the dashboard's users live: SQLite beside the embedded firm, PostgreSQL in the cluster profile.</summary>
public interface IUserStore
{
    /// <summary>Adds a user; false when the name is taken.</summary>
    Task<bool> AddAsync(UserAccount user, CancellationToken ct = default);

    Task<UserAccount?> FindAsync(string name, CancellationToken ct = default);

    Task<int> CountAsync(CancellationToken ct = default);
}

/// <summary>
/// Passwords as ASP.NET Core Identity's <see cref="PasswordHasher{TUser}"/> stores them: PBKDF2 with HMAC-SHA512, a
/// random salt per password and the iteration count in the hash (format version 3), so a stolen table gives no password.
/// </summary>
public static class Passwords
{
    private static readonly PasswordHasher<string> Hasher = new();

    /// <summary>The shortest password `users add` accepts.</summary>
    public const int MinimumLength = 10;

    public static string Hash(string name, string password) => Hasher.HashPassword(name, password);

    public static bool Verify(UserAccount user, string password) =>
        Hasher.VerifyHashedPassword(user.Name, user.PasswordHash, password) is PasswordVerificationResult.Success or PasswordVerificationResult.SuccessRehashNeeded;
}

/// <summary>Users in the embedded profile's SQLite file (table users, created on first use).</summary>
public sealed class SqliteUserStore : IUserStore
{
    private readonly string _connectionString;

    public SqliteUserStore(string databasePath)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(databasePath))!);
        _connectionString = new SqliteConnectionStringBuilder { DataSource = Path.GetFullPath(databasePath), DefaultTimeout = 30 }.ToString();
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "CREATE TABLE IF NOT EXISTS users (name TEXT PRIMARY KEY, role TEXT NOT NULL, password_hash TEXT NOT NULL, created_at TEXT NOT NULL)";
        command.ExecuteNonQuery();
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }

    public async Task<bool> AddAsync(UserAccount user, CancellationToken ct = default)
    {
        await using var connection = Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "INSERT OR IGNORE INTO users (name, role, password_hash, created_at) VALUES ($name, $role, $hash, $at)";
        command.Parameters.AddWithValue("$name", user.Name);
        command.Parameters.AddWithValue("$role", user.Role);
        command.Parameters.AddWithValue("$hash", user.PasswordHash);
        command.Parameters.AddWithValue("$at", DateTimeOffset.UtcNow.ToString("O"));
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }

    public async Task<UserAccount?> FindAsync(string name, CancellationToken ct = default)
    {
        await using var connection = Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT name, role, password_hash FROM users WHERE name = $name";
        command.Parameters.AddWithValue("$name", name);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? new UserAccount(reader.GetString(0), reader.GetString(1), reader.GetString(2)) : null;
    }

    public async Task<int> CountAsync(CancellationToken ct = default)
    {
        await using var connection = Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM users";
        return Convert.ToInt32(await command.ExecuteScalarAsync(ct));
    }
}

/// <summary>Users on the cluster's PostgreSQL (table users, schema version 4).</summary>
public sealed class PostgresUserStore(PostgresDatabase database) : IUserStore
{
    public async Task<bool> AddAsync(UserAccount user, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = new NpgsqlCommand("INSERT INTO users (name, role, password_hash) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING", connection);
        command.Parameters.AddWithValue(user.Name);
        command.Parameters.AddWithValue(user.Role);
        command.Parameters.AddWithValue(user.PasswordHash);
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }

    public async Task<UserAccount?> FindAsync(string name, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = new NpgsqlCommand("SELECT name, role, password_hash FROM users WHERE name = $1", connection);
        command.Parameters.AddWithValue(name);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? new UserAccount(reader.GetString(0), reader.GetString(1), reader.GetString(2)) : null;
    }

    public async Task<int> CountAsync(CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        await using var command = new NpgsqlCommand("SELECT COUNT(*) FROM users", connection);
        return Convert.ToInt32(await command.ExecuteScalarAsync(ct));
    }
}
