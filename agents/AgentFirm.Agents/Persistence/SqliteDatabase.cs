using Microsoft.Data.Sqlite;

namespace AgentFirm.Agents.Persistence;

/// <summary>
/// The embedded database file: created with its folder on first use, in WAL mode so readers (the
/// dashboard) never block the writer, and with a busy timeout so two silos in one process can share it.
/// </summary>
public sealed class SqliteDatabase
{
    public SqliteDatabase(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        ConnectionString = new SqliteConnectionStringBuilder { DataSource = Path, Pooling = true, DefaultTimeout = 30 }.ToString();
        using var connection = Open();
        Execute(connection, """
            PRAGMA journal_mode = WAL;
            CREATE TABLE IF NOT EXISTS ledger_entries (
                ledger_id TEXT NOT NULL, sequence INTEGER NOT NULL, step INTEGER NOT NULL, time TEXT NOT NULL, kind INTEGER NOT NULL,
                symbol TEXT NOT NULL, side INTEGER NOT NULL, quantity REAL NOT NULL, price REAL NOT NULL,
                fee REAL NOT NULL, amount REAL NOT NULL, order_id INTEGER NOT NULL, note TEXT,
                PRIMARY KEY (ledger_id, sequence));
            CREATE TABLE IF NOT EXISTS grain_state (
                state_name TEXT NOT NULL, grain_id TEXT NOT NULL, etag TEXT NOT NULL, data TEXT NOT NULL,
                PRIMARY KEY (state_name, grain_id));
            """);
    }

    public string Path { get; }
    public string ConnectionString { get; }

    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(ConnectionString);
        connection.Open();
        // Durable at each commit with WAL, without an fsync per transaction on the hot path.
        Execute(connection, "PRAGMA synchronous = NORMAL;");
        return connection;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
