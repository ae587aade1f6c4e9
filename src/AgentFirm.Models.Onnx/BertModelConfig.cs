using System.Globalization;
using System.Text.Json;

namespace AgentFirm.Models.Sentiment.Onnx;

/// <summary>
/// What the runner reads from an exported model folder's config.json (and tokenizer_config.json, where
/// transformers puts do_lower_case): the label names in output order, lower-casing and the position limit.
/// </summary>
internal sealed record BertModelConfig(IReadOnlyList<string> Labels, bool DoLowerCase, int? MaxPositions)
{
    public static BertModelConfig Read(string folder, OnnxSentimentOptions options)
    {
        var configPath = Path.Combine(folder, "config.json");
        var tokenizerPath = Path.Combine(folder, "tokenizer_config.json");
        using var config = File.Exists(configPath) ? Parse(configPath) : null;
        using var tokenizer = File.Exists(tokenizerPath) ? Parse(tokenizerPath) : null;

        var doLowerCase = true; // BERT-base-uncased and both public FinBERTs lower-case
        if (Bool(config, "do_lower_case") is { } fromConfig) doLowerCase = fromConfig;
        if (Bool(tokenizer, "do_lower_case") is { } fromTokenizer) doLowerCase = fromTokenizer;

        int? maxPositions = config is not null && config.RootElement.TryGetProperty("max_position_embeddings", out var mp) && mp.ValueKind == JsonValueKind.Number
            ? mp.GetInt32() : null;

        IReadOnlyList<string> labels;
        if (!string.IsNullOrWhiteSpace(options.LabelOrder))
            labels = options.LabelOrder.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        else if (config is null)
            throw new ModelLoadException(configPath, "config.json is missing, so the label order is unknown (export it with the model, or set LabelOrder)");
        else
            labels = Id2Label(configPath, config.RootElement);
        return new BertModelConfig(labels, doLowerCase, maxPositions);
    }

    private static IReadOnlyList<string> Id2Label(string path, JsonElement root)
    {
        if (!root.TryGetProperty("id2label", out var map) || map.ValueKind != JsonValueKind.Object)
            throw new ModelLoadException(path, "has no id2label object, so the label order is unknown");
        var byId = new SortedDictionary<int, string>();
        foreach (var entry in map.EnumerateObject())
        {
            if (!int.TryParse(entry.Name, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
                throw new ModelLoadException(path, $"id2label key '{entry.Name}' is not a label index");
            byId[id] = entry.Value.GetString() ?? throw new ModelLoadException(path, $"id2label[{id}] is not a string");
        }
        if (byId.Count == 0 || byId.Keys.First() != 0 || byId.Keys.Last() != byId.Count - 1)
            throw new ModelLoadException(path, "id2label must number its labels 0..n-1 without gaps");
        return byId.Values.ToArray();
    }

    private static JsonDocument Parse(string path)
    {
        try { return JsonDocument.Parse(File.ReadAllText(path)); }
        catch (JsonException e) { throw new ModelLoadException(path, $"is not valid JSON ({e.Message})", e); }
    }

    private static bool? Bool(JsonDocument? doc, string name) =>
        doc is not null && doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty(name, out var v)
        && v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : null;
}

/// <summary>Where positive, negative and neutral sit in the model's output (-1 where a model lacks one).</summary>
internal sealed record SentimentLabelMap(int Positive, int Negative, int Neutral, int Count)
{
    public static SentimentLabelMap From(IReadOnlyList<string> labels, string configPath)
    {
        int Find(string name)
        {
            var found = -1;
            for (var i = 0; i < labels.Count; i++)
                if (string.Equals(labels[i].Trim(), name, StringComparison.OrdinalIgnoreCase))
                {
                    if (found >= 0) throw new ModelLoadException(configPath, $"label '{name}' appears twice in id2label");
                    found = i;
                }
            return found;
        }
        var map = new SentimentLabelMap(Find("positive"), Find("negative"), Find("neutral"), labels.Count);
        if (map.Positive < 0 || map.Negative < 0)
            throw new ModelLoadException(configPath, $"labels [{string.Join(", ", labels)}] do not include both 'positive' and 'negative' (set LabelOrder if the export uses generic names)");
        return map;
    }

    /// <summary>Signed score p(positive) - p(negative) and the most probable of the three labels.</summary>
    public SentimentScore ToScore(ReadOnlySpan<float> probabilities)
    {
        var pPos = probabilities[Positive];
        var pNeg = probabilities[Negative];
        var pNeu = Neutral >= 0 ? probabilities[Neutral] : 0f;
        var label = pPos >= pNeg && pPos >= pNeu ? SentimentLabel.Positive : pNeg >= pNeu ? SentimentLabel.Negative : SentimentLabel.Neutral;
        return new SentimentScore(Math.Clamp(pPos - (double)pNeg, -1, 1), label);
    }
}
