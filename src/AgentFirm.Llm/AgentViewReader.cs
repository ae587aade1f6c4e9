using System.Text.Json;
using AgentFirm.Core;

namespace AgentFirm.Llm;

/// <summary>One asset's view as an analyst mind answered it (symbols and prices as the model saw them).</summary>
internal sealed record AnsweredView(string Symbol, double Direction, double Confidence, double HorizonHours, double FalsificationPrice,
    string Rationale, IReadOnlyList<Evidence> Evidence);

/// <summary>
/// Strict reader of the analyst answer schema:
/// <c>{"views":[{"symbol","direction","confidence","horizon_hours","falsification_price","rationale","evidence":[{"name","value"}]}]}</c>.
/// Every asked symbol exactly once, no other field, finite numbers in range; the falsification price is the level
/// at which the view is wrong, so it must be a positive price.
/// </summary>
internal static class AgentViewReader
{
    public const int MaxEvidence = 8;
    public const int MaxRationale = 1000;
    public const double MaxHorizonHours = 24 * 90;
    private static readonly string[] ViewFields = ["symbol", "direction", "confidence", "horizon_hours", "falsification_price", "rationale", "evidence"];

    public static (IReadOnlyList<AnsweredView>? Views, AnswerProblem? Problem) Read(string? text, IReadOnlyCollection<string> symbols)
    {
        if (string.IsNullOrWhiteSpace(text)) return FailAll(FallbackReason.InvalidJson, "empty answer");
        var json = MindAnswerReader.Unfence(text.Trim());
        if (json is null) return FailAll(FallbackReason.InvalidJson, "not a single JSON object (prose or several blocks around it)");
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, MindAnswerReader.Strict);
        }
        catch (JsonException e)
        {
            return FailAll(FallbackReason.InvalidJson, $"JSON does not parse ({e.Message})");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return FailAll(FallbackReason.SchemaViolation, "the answer is not a JSON object");
            if (MindAnswerReader.Extra(root, "views") is { } extra) return FailAll(FallbackReason.SchemaViolation, $"unexpected field '{MindAnswerReader.Excerpt(extra)}'");
            if (!root.TryGetProperty("views", out var views) || views.ValueKind != JsonValueKind.Array)
                return FailAll(FallbackReason.SchemaViolation, "'views' must be an array");
            var asked = new HashSet<string>(symbols, StringComparer.Ordinal);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var read = new List<AnsweredView>();
            foreach (var view in views.EnumerateArray())
            {
                var (answered, problem) = ReadView(view, asked, seen);
                if (problem is not null) return (null, problem);
                read.Add(answered!);
            }
            if (asked.Except(seen).FirstOrDefault() is { } missing) return FailAll(FallbackReason.UnknownSymbol, $"no view for '{missing}'");
            return (read, null);
        }
    }

    private static (AnsweredView?, AnswerProblem?) ReadView(JsonElement view, HashSet<string> asked, HashSet<string> seen)
    {
        if (view.ValueKind != JsonValueKind.Object) return Fail(FallbackReason.SchemaViolation, "a view is not an object");
        if (MindAnswerReader.Extra(view, ViewFields) is { } field) return Fail(FallbackReason.SchemaViolation, $"unexpected view field '{MindAnswerReader.Excerpt(field)}'");
        if (!view.TryGetProperty("symbol", out var symbol) || symbol.ValueKind != JsonValueKind.String)
            return Fail(FallbackReason.SchemaViolation, "a view has no string 'symbol'");
        var name = symbol.GetString()!;
        if (!asked.Contains(name)) return Fail(FallbackReason.UnknownSymbol, $"symbol '{MindAnswerReader.Excerpt(name)}' was not asked for");
        if (!seen.Add(name)) return Fail(FallbackReason.UnknownSymbol, $"symbol '{MindAnswerReader.Excerpt(name)}' appears twice");
        var (direction, p1) = MindAnswerReader.Number(view, "direction", -1, 1);
        if (p1 is not null) return (null, p1);
        var (confidence, p2) = MindAnswerReader.Number(view, "confidence", 0, 1);
        if (p2 is not null) return (null, p2);
        var (horizon, p3) = MindAnswerReader.Number(view, "horizon_hours", 1, MaxHorizonHours);
        if (p3 is not null) return (null, p3);
        var (falsification, p4) = MindAnswerReader.Number(view, "falsification_price", double.Epsilon, double.MaxValue);
        if (p4 is not null) return (null, p4);
        if (!view.TryGetProperty("rationale", out var rationale) || rationale.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(rationale.GetString()))
            return Fail(FallbackReason.SchemaViolation, "'rationale' must be a non-empty string");
        if (rationale.GetString()!.Length > MaxRationale) return Fail(FallbackReason.OutOfRange, $"'rationale' is longer than {MaxRationale} characters");
        if (!view.TryGetProperty("evidence", out var evidence) || evidence.ValueKind != JsonValueKind.Array)
            return Fail(FallbackReason.SchemaViolation, "'evidence' must be an array");
        if (evidence.GetArrayLength() > MaxEvidence) return Fail(FallbackReason.OutOfRange, $"more than {MaxEvidence} evidence items");
        var items = new List<Evidence>();
        foreach (var item in evidence.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object || MindAnswerReader.Extra(item, "name", "value") is not null)
                return Fail(FallbackReason.SchemaViolation, "an evidence item must be {\"name\", \"value\"}");
            if (!item.TryGetProperty("name", out var n) || n.ValueKind != JsonValueKind.String || n.GetString() is not { Length: > 0 and <= 40 } evidenceName)
                return Fail(FallbackReason.SchemaViolation, "an evidence name must be a string of 1 to 40 characters");
            var (value, p5) = MindAnswerReader.Number(item, "value", double.MinValue, double.MaxValue);
            if (p5 is not null) return (null, p5);
            items.Add(new Evidence(evidenceName, value));
        }
        return (new AnsweredView(name, direction, confidence, horizon, falsification, rationale.GetString()!.Trim(), items), null);
    }

    private static (AnsweredView?, AnswerProblem?) Fail(FallbackReason reason, string detail) => (null, new AnswerProblem(reason, detail));
    private static (IReadOnlyList<AnsweredView>?, AnswerProblem?) FailAll(FallbackReason reason, string detail) => (null, new AnswerProblem(reason, detail));
}
