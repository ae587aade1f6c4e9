using AgentFirm.Llm.Local;

namespace AgentFirm.Llm.Tests.Local;

/// <summary>
/// The tiny random-weight llama, written by the product's own <see cref="RandomLlama"/> into a temporary folder
/// and loaded once for every test of the collection (a load is a native call; the file is a few hundred KB).
/// </summary>
public sealed class TinyModel : IDisposable
{
    public const int Seed = 7;

    public TinyModel()
    {
        Folder = Path.Combine(Path.GetTempPath(), $"agentfirm-local-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Folder);
        File = Path.Combine(Folder, "tiny.gguf");
        RandomLlama.Write(File, RandomLlamaSpec.Tiny, Seed);
        Options = new LocalModelOptions { ModelPath = File, ContextSize = 2048, Threads = 1 };
        Model = LocalModel.Load(Options, Folder);
    }

    public string Folder { get; }
    public string File { get; }
    public LocalModelOptions Options { get; }
    public LocalModel Model { get; }

    /// <summary>A file in the fixture's folder, for tests that write their own variants.</summary>
    public string PathOf(string name) => Path.Combine(Folder, name);

    public void Dispose()
    {
        Model.Dispose();
        Directory.Delete(Folder, recursive: true);
    }
}

[CollectionDefinition(Name)]
public sealed class TinyModelCollection : ICollectionFixture<TinyModel>
{
    public const string Name = "tiny local model";
}
