using Microsoft.Data.Sqlite;

namespace AgentFirm.Llm.Tests;

public sealed class ResponseCacheTests
{
    private static readonly RenderedPrompt Prompt = new("system text", "user text");

    [Fact]
    public async Task Stores_and_returns_an_answer_by_request_hash()
    {
        using var folder = new TempFolder();
        var cache = new ResponseCache(folder.File("sub/cache.db"), new LogSink().For<ResponseCache>());
        var key = ResponseCache.KeyOf("m", Prompt, "temperature=0");

        Assert.Null(await cache.TryGetAsync(key, CancellationToken.None));
        await cache.PutAsync(key, "m", """{"answer":1}""", CancellationToken.None);
        await cache.PutAsync(key, "m", """{"answer":2}""", CancellationToken.None); // overwrite, not a second row

        Assert.Equal("""{"answer":2}""", await cache.TryGetAsync(key, CancellationToken.None));
        Assert.Equal(1, await Rows(folder.File("sub/cache.db")));

        // A second request for the same key is served from the one row and adds none; another key adds one.
        Assert.Equal("""{"answer":2}""", await cache.TryGetAsync(ResponseCache.KeyOf("m", Prompt, "temperature=0"), CancellationToken.None));
        Assert.Equal(1, await Rows(folder.File("sub/cache.db")));
        await cache.PutAsync(ResponseCache.KeyOf("m", Prompt, "temperature=1"), "m", """{"answer":3}""", CancellationToken.None);
        Assert.Equal(2, await Rows(folder.File("sub/cache.db")));
    }

    private static async Task<long> Rows(string path)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Pooling=False;Mode=ReadOnly");
        await connection.OpenAsync();
        await using var count = connection.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM responses";
        return (long)(await count.ExecuteScalarAsync())!;
    }

    [Fact]
    public void Key_changes_with_model_prompt_and_settings()
    {
        var key = ResponseCache.KeyOf("m", Prompt, "t=0");

        Assert.Matches("^[0-9a-f]{64}$", key);
        Assert.Equal(key, ResponseCache.KeyOf("m", Prompt, "t=0"));
        Assert.NotEqual(key, ResponseCache.KeyOf("m2", Prompt, "t=0"));
        Assert.NotEqual(key, ResponseCache.KeyOf("m", Prompt with { User = "user text." }, "t=0"));
        Assert.NotEqual(key, ResponseCache.KeyOf("m", Prompt, "t=1"));
        // Text moved between the two messages is a different request.
        Assert.NotEqual(ResponseCache.KeyOf("m", new("ab", "c"), "s"), ResponseCache.KeyOf("m", new("a", "bc"), "s"));
    }

    [Fact]
    public async Task Corrupt_row_is_ignored_with_a_log_line()
    {
        using var folder = new TempFolder();
        var logs = new LogSink();
        var path = folder.File("cache.db");
        var cache = new ResponseCache(path, logs.For<ResponseCache>());
        var key = ResponseCache.KeyOf("m", Prompt, "s");
        await cache.PutAsync(key, "m", """{"targets":[]}""", CancellationToken.None);
        await using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var tamper = connection.CreateCommand();
            tamper.CommandText = "UPDATE responses SET response = '{\"targets\":[' WHERE key = $key";
            tamper.Parameters.AddWithValue("$key", key);
            Assert.Equal(1, await tamper.ExecuteNonQueryAsync());
        }

        Assert.Null(await cache.TryGetAsync(key, CancellationToken.None));
        Assert.True(logs.HasWarning("fails its checksum"));
    }
}
