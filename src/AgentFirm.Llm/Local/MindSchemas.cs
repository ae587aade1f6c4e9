using System.Text.Json.Nodes;

namespace AgentFirm.Llm.Local;

/// <summary>
/// The JSON schemas the minds answer in, written in the subset <see cref="JsonSchemaToGbnf"/> turns into grammars:
/// every number and text is bounded, so even a model with random weights finishes a valid answer.
/// </summary>
public static class MindSchemas
{
    /// <summary>Longest rationale a grammar-bound answer may write (characters).</summary>
    public const int RationaleLength = 400;

    /// <summary>
    /// The meta-controller's answer (<c>{"targets":[{"symbol","direction","confidence"}],"rationale"}</c>, as
    /// MindAnswerReader reads it) for these symbols: one target per symbol in the order asked, as a fixed tuple, so
    /// a grammar-bound model can neither skip, repeat nor invent a symbol.
    /// </summary>
    public static string MetaController(IReadOnlyList<string> symbols)
    {
        ArgumentNullException.ThrowIfNull(symbols);
        var targets = new JsonArray();
        foreach (var symbol in symbols)
            targets.Add(Object(
                ("symbol", new JsonObject { ["const"] = symbol }),
                ("direction", Bounded(-1, 1, 0.01)),
                ("confidence", Bounded(0, 1, 0.01))));
        return Object(
            ("targets", new JsonObject { ["type"] = "array", ["prefixItems"] = targets, ["items"] = false }),
            ("rationale", Text(1, RationaleLength))).ToJsonString();
    }

    /// <summary>
    /// An analyst's view (issue 12's AgentView answer): direction in [-1, 1], confidence in [0, 1], the horizon in
    /// hours, the falsification price (the level at which the view is wrong; prices reach models rebased, so
    /// bounded by 1e9), the rationale and up to five pieces of evidence (a named number each).
    /// </summary>
    public static string AgentView() => Object(
        ("direction", Bounded(-1, 1, 0.01)),
        ("confidence", Bounded(0, 1, 0.01)),
        ("horizon_hours", new JsonObject { ["type"] = "integer", ["minimum"] = 1, ["maximum"] = 720 }),
        ("falsification_price", Bounded(0, 1_000_000_000, 0.01)),
        ("rationale", Text(1, RationaleLength)),
        ("evidence", new JsonObject
        {
            ["type"] = "array",
            ["maxItems"] = 5,
            ["items"] = Object(("name", Text(1, 40)), ("value", Bounded(-1_000_000, 1_000_000, 0.0001))),
        })).ToJsonString();

    private static JsonObject Object(params (string Name, JsonObject Schema)[] properties)
    {
        var props = new JsonObject();
        foreach (var (name, schema) in properties) props[name] = schema;
        return new JsonObject
        {
            ["type"] = "object",
            ["properties"] = props,
            ["required"] = new JsonArray(properties.Select(p => (JsonNode)p.Name).ToArray()),
            ["additionalProperties"] = false,
        };
    }

    private static JsonObject Bounded(double min, double max, double step) =>
        new() { ["type"] = "number", ["minimum"] = min, ["maximum"] = max, ["multipleOf"] = step };

    private static JsonObject Text(int min, int max) =>
        new() { ["type"] = "string", ["minLength"] = min, ["maxLength"] = max };
}
