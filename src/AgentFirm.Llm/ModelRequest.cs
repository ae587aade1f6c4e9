using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgentFirm.Llm;

/// <summary>One message of a chat: role system, user or assistant.</summary>
public sealed record ChatTurn(string Role, string Content);

/// <summary>
/// Everything that decides a model's answer, and nothing else: the provider kind, the model, the sampling
/// parameters, the messages and the tool schemas offered. Its hash keys the cassettes; the endpoint and the key
/// are left out, so a run recorded against one server replays anywhere without either.
/// </summary>
public sealed record ModelRequest(
    string Provider,
    string Model,
    double Temperature,
    int MaxTokens,
    string ResponseFormat,
    IReadOnlyList<ChatTurn> Messages,
    IReadOnlyList<string> ToolSchemas)
{
    /// <summary>The request as canonical JSON (fixed field order, invariant numbers): what is hashed and stored.</summary>
    public string CanonicalJson()
    {
        var json = new JsonObject
        {
            ["provider"] = Provider,
            ["model"] = Model,
            ["parameters"] = new JsonObject
            {
                ["temperature"] = Temperature.ToString("R", CultureInfo.InvariantCulture),
                ["max_tokens"] = MaxTokens,
                ["response_format"] = ResponseFormat,
            },
            ["messages"] = new JsonArray(Messages.Select(m => (JsonNode)new JsonObject { ["role"] = m.Role, ["content"] = m.Content }).ToArray()),
            ["tools"] = new JsonArray(ToolSchemas.Select(t => (JsonNode)t).ToArray()),
        };
        return json.ToJsonString(new JsonSerializerOptions { WriteIndented = false });
    }

    /// <summary>SHA-256 (hex) of <see cref="CanonicalJson"/>.</summary>
    public string Key() => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(CanonicalJson())));

    /// <summary>The request read back from its canonical JSON (cassette import checks the key against it).</summary>
    public static ModelRequest FromJson(string json)
    {
        var root = JsonNode.Parse(json)!.AsObject();
        var parameters = root["parameters"]!.AsObject();
        return new ModelRequest(
            (string)root["provider"]!,
            (string)root["model"]!,
            double.Parse((string)parameters["temperature"]!, CultureInfo.InvariantCulture),
            (int)parameters["max_tokens"]!,
            (string)parameters["response_format"]!,
            root["messages"]!.AsArray().Select(m => new ChatTurn((string)m!["role"]!, (string)m["content"]!)).ToArray(),
            root["tools"]!.AsArray().Select(t => (string)t!).ToArray());
    }
}

/// <summary>A model's answer and what it cost in tokens (as the provider reported them; 0 when it did not).</summary>
public sealed record ModelReply(string Text, int InputTokens, int OutputTokens);

/// <summary>
/// A replay asked for a call the cassettes do not hold: the run cannot be reproduced. The message names the
/// role, decision time, prompt version, model and request hash, so the missing recording can be found.
/// </summary>
public sealed class CassetteMissException(string message) : Exception(message);
