using Microsoft.Data.Sqlite;

namespace AgentFirm.Llm.Tests;

public sealed class CassetteStoreTests
{
    private static ModelRequest Request(string model = "m", double temperature = 0, string system = "system text", string user = "user text") =>
        new(ChatModel.Provider, model, temperature, 800, "json_object", [new ChatTurn("system", system), new ChatTurn("user", user)], []);

    private static Cassette Recording(ModelRequest request, string answer, int input = 120, int output = 30) =>
        new(request.Key(), request.Model, request.CanonicalJson(), new ModelReply(answer, input, output));

    [Fact]
    public async Task Stores_and_returns_a_call_by_request_hash_with_its_tokens()
    {
        using var folder = new TempFolder();
        var store = new CassetteStore(folder.File("sub/llm.db"));
        var request = Request();

        Assert.Null(await store.TryGetAsync(request.Key(), CancellationToken.None));
        await store.PutAsync(Recording(request, """{"answer":1}"""), CancellationToken.None);
        await store.PutAsync(Recording(request, """{"answer":2}""", 121, 31), CancellationToken.None); // re-recorded, not a second row

        var got = await store.TryGetAsync(Request().Key(), CancellationToken.None);
        Assert.Equal(new ModelReply("""{"answer":2}""", 121, 31), got!.Reply);
        Assert.Equal(1, await store.CountAsync(CancellationToken.None));
        await store.PutAsync(Recording(Request(temperature: 1), """{"answer":3}"""), CancellationToken.None);
        Assert.Equal(2, await store.CountAsync(CancellationToken.None));
    }

    [Fact]
    public void Key_changes_with_provider_model_parameters_and_messages_but_not_with_the_endpoint()
    {
        var key = Request().Key();

        Assert.Matches("^[0-9a-f]{64}$", key);
        Assert.Equal(key, Request().Key());
        Assert.NotEqual(key, Request(model: "m2").Key());
        Assert.NotEqual(key, Request(temperature: 0.7).Key());
        Assert.NotEqual(key, Request(user: "user text.").Key());
        Assert.NotEqual(key, (Request() with { Provider = "local" }).Key());
        Assert.NotEqual(key, (Request() with { MaxTokens = 801 }).Key());
        Assert.NotEqual(key, (Request() with { ToolSchemas = ["{\"name\":\"indicators\"}"] }).Key());
        // Text moved between the two messages is a different request.
        Assert.NotEqual(Request(system: "ab", user: "c").Key(), Request(system: "a", user: "bc").Key());
        // A repair turn makes a new request.
        Assert.NotEqual(key, (Request() with { Messages = [.. Request().Messages, new ChatTurn("assistant", "x")] }).Key());
        var read = ModelRequest.FromJson(Request(temperature: 0.1).CanonicalJson());
        Assert.Equal((ChatModel.Provider, "m", 0.1, 800, "json_object"), (read.Provider, read.Model, read.Temperature, read.MaxTokens, read.ResponseFormat));
        Assert.Equal(Request().Messages, read.Messages);
        Assert.Equal(key, ModelRequest.FromJson(Request().CanonicalJson()).Key());
    }

    [Fact]
    public async Task A_tampered_row_is_not_replayed()
    {
        using var folder = new TempFolder();
        var path = folder.File("llm.db");
        var store = new CassetteStore(path);
        var request = Request();
        await store.PutAsync(Recording(request, """{"targets":[]}"""), CancellationToken.None);
        await using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var tamper = connection.CreateCommand();
            tamper.CommandText = "UPDATE cassettes SET output_tokens = 1 WHERE key = $key";
            tamper.Parameters.AddWithValue("$key", request.Key());
            Assert.Equal(1, await tamper.ExecuteNonQueryAsync());
        }

        Assert.Null(await store.TryGetAsync(request.Key(), CancellationToken.None));
    }

    [Fact]
    public async Task Export_and_import_move_every_call_to_another_store_and_refuse_an_edited_line()
    {
        using var folder = new TempFolder();
        var source = new CassetteStore(folder.File("a.db"));
        await source.PutAsync(Recording(Request(), "one"), CancellationToken.None);
        await source.PutAsync(Recording(Request(user: "other"), "two", 7, 3), CancellationToken.None);
        var export = new StringWriter();
        Assert.Equal(2, await source.ExportAsync(export, CancellationToken.None));

        var target = new CassetteStore(folder.File("b.db"));
        Assert.Equal((2, 0), await target.ImportAsync(new StringReader(export.ToString()), CancellationToken.None));
        Assert.Equal((0, 2), await target.ImportAsync(new StringReader(export.ToString()), CancellationToken.None));
        Assert.Equal(new ModelReply("two", 7, 3), (await target.TryGetAsync(Request(user: "other").Key(), CancellationToken.None))!.Reply);
        var again = new StringWriter();
        await target.ExportAsync(again, CancellationToken.None);
        Assert.Equal(export.ToString(), again.ToString());

        var edited = export.ToString().Replace("user text", "user text!", StringComparison.Ordinal);
        var error = await Assert.ThrowsAsync<InvalidDataException>(() => new CassetteStore(folder.File("c.db")).ImportAsync(new StringReader(edited), CancellationToken.None));
        Assert.Contains("line 1", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, await new CassetteStore(folder.File("c.db")).CountAsync(CancellationToken.None));
    }
}
