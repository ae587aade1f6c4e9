using System.Text.Json;

namespace AgentFirm.Llm;

/// <summary>
/// A model answer that passed validation: exactly one target per asked symbol and a rationale.
/// Symbols are as the model saw them (aliases when anonymised).
/// </summary>
internal sealed record MindAnswer(IReadOnlyList<AssetTarget> Targets, string Rationale);

/// <summary>Why an answer was refused, in words safe to log (no answer text beyond a short excerpt).</summary>
internal sealed record AnswerProblem(FallbackReason Reason, string Detail);

/// <summary>
/// Strict reader of the answer schema <c>{"targets":[{"symbol","direction","confidence"}],"rationale"}</c>.
/// Strict because the answer steers money: a single JSON object (or one fenced ```json block and nothing
/// else), no extra or missing fields, finite numbers in range, every asked symbol exactly once.
/// </summary>
internal static class MindAnswerReader
{
    internal static readonly JsonDocumentOptions Strict = new()
    {
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        MaxDepth = 8,
        AllowDuplicateProperties = false,
    };

    public static (MindAnswer? Answer, AnswerProblem? Problem) Read(string? text, IReadOnlyCollection<string> symbols)
    {
        if (string.IsNullOrWhiteSpace(text)) return Fail(FallbackReason.InvalidJson, "empty answer");
        var json = Unfence(text.Trim());
        if (json is null) return Fail(FallbackReason.InvalidJson, "not a single JSON object (prose or several blocks around it)");
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, Strict);
        }
        catch (JsonException e)
        {
            return Fail(FallbackReason.InvalidJson, $"JSON does not parse ({e.Message})");
        }
        using (document)
            return ReadRoot(document.RootElement, symbols);
    }

    /// <summary>The JSON text: the whole answer if it is an object, or the body of exactly one fenced block.</summary>
    internal static string? Unfence(string text)
    {
        if (text.StartsWith('{') && text.EndsWith('}')) return text;
        if (!text.StartsWith("```", StringComparison.Ordinal) || !text.EndsWith("```", StringComparison.Ordinal) || text.Length < 6)
            return null;
        var firstBreak = text.IndexOf('\n');
        if (firstBreak < 0) return null;
        var info = text[3..firstBreak].Trim();
        if (info.Length > 0 && !info.Equals("json", StringComparison.OrdinalIgnoreCase)) return null;
        var body = text[(firstBreak + 1)..^3].Trim();
        // A second fence inside means several blocks or prose between them.
        if (body.Contains("```", StringComparison.Ordinal)) return null;
        return body.StartsWith('{') && body.EndsWith('}') ? body : null;
    }

    private static (MindAnswer?, AnswerProblem?) ReadRoot(JsonElement root, IReadOnlyCollection<string> symbols)
    {
        if (root.ValueKind != JsonValueKind.Object) return Fail(FallbackReason.SchemaViolation, "the answer is not a JSON object");
        if (Extra(root, "targets", "rationale") is { } extra) return Fail(FallbackReason.SchemaViolation, $"unexpected field '{Excerpt(extra)}'");
        if (!root.TryGetProperty("targets", out var targets) || targets.ValueKind != JsonValueKind.Array)
            return Fail(FallbackReason.SchemaViolation, "'targets' must be an array");
        if (!root.TryGetProperty("rationale", out var rationale) || rationale.ValueKind != JsonValueKind.String
            || string.IsNullOrWhiteSpace(rationale.GetString()))
            return Fail(FallbackReason.SchemaViolation, "'rationale' must be a non-empty string");

        var asked = new HashSet<string>(symbols, StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var read = new List<AssetTarget>();
        foreach (var target in targets.EnumerateArray())
        {
            if (target.ValueKind != JsonValueKind.Object) return Fail(FallbackReason.SchemaViolation, "a target is not an object");
            if (Extra(target, "symbol", "direction", "confidence") is { } field)
                return Fail(FallbackReason.SchemaViolation, $"unexpected target field '{Excerpt(field)}'");
            if (!target.TryGetProperty("symbol", out var symbol) || symbol.ValueKind != JsonValueKind.String)
                return Fail(FallbackReason.SchemaViolation, "a target has no string 'symbol'");
            var name = symbol.GetString()!;
            if (!asked.Contains(name)) return Fail(FallbackReason.UnknownSymbol, $"symbol '{Excerpt(name)}' was not asked for");
            if (!seen.Add(name)) return Fail(FallbackReason.UnknownSymbol, $"symbol '{Excerpt(name)}' appears twice");
            if (Number(target, "direction", -1, 1) is var (direction, directionProblem) && directionProblem is not null) return (null, directionProblem);
            if (Number(target, "confidence", 0, 1) is var (confidence, confidenceProblem) && confidenceProblem is not null) return (null, confidenceProblem);
            read.Add(new AssetTarget(name, direction, confidence));
        }
        if (asked.Except(seen).FirstOrDefault() is { } missing)
            return Fail(FallbackReason.UnknownSymbol, $"no target for '{missing}'");
        return (new MindAnswer(read, rationale.GetString()!.Trim()), null);
    }

    internal static (double, AnswerProblem?) Number(JsonElement target, string field, double min, double max)
    {
        if (!target.TryGetProperty(field, out var value) || value.ValueKind != JsonValueKind.Number)
            return (0, new AnswerProblem(FallbackReason.SchemaViolation, $"a target has no number '{field}'"));
        // 1e999 parses as infinity on .NET: refuse it like any other out-of-range value.
        if (!value.TryGetDouble(out var number) || !double.IsFinite(number))
            return (0, new AnswerProblem(FallbackReason.OutOfRange, $"'{field}' is not a finite number"));
        if (number < min || number > max)
            return (0, new AnswerProblem(FallbackReason.OutOfRange, $"'{field}' {number} is outside [{min}, {max}]"));
        return (number, null);
    }

    internal static string? Extra(JsonElement element, params string[] allowed) =>
        element.EnumerateObject().Select(p => p.Name).FirstOrDefault(n => !allowed.Contains(n, StringComparer.Ordinal));

    internal static string Excerpt(string text) => text.Length <= 40 ? text : text[..40] + "…";

    private static (MindAnswer?, AnswerProblem?) Fail(FallbackReason reason, string detail) => (null, new AnswerProblem(reason, detail));
}
