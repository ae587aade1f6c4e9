using System.Text.Json;
using Orleans.Storage;

namespace AgentFirm.Agents.Persistence;

/// <summary>
/// Grain state as the same JSON the embedded SQLite storage writes, for the Redis provider: the state records live
/// in plain libraries (no Orleans serializer attributes), and JSON keeps a stored value readable across builds.
/// </summary>
public sealed class JsonStateSerializer : IGrainStorageSerializer
{
    private static readonly JsonSerializerOptions Json = new() { IncludeFields = true };

    public BinaryData Serialize<T>(T? input) => new(JsonSerializer.SerializeToUtf8Bytes(input, Json));

    public T Deserialize<T>(BinaryData input) => JsonSerializer.Deserialize<T>(input.ToMemory().Span, Json)!;
}
