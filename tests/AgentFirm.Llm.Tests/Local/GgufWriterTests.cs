using System.Security.Cryptography;
using AgentFirm.Llm.Local;

namespace AgentFirm.Llm.Tests.Local;

[Collection(TinyModelCollection.Name)]
public sealed class GgufWriterTests(TinyModel tiny)
{
    [Fact]
    public void Written_file_reads_back_as_a_version_3_llama_with_every_tensor_inside_the_file()
    {
        var summary = GgufFile.Inspect(tiny.File);

        Assert.Equal((3u, "llama"), (summary.Version, summary.Architecture));
        // token embedding, 9 tensors per block, output norm and output head
        Assert.Equal(1 + 9 * RandomLlamaSpec.Tiny.Layers + 2, summary.TensorCount);
        Assert.Equal(RandomLlamaSpec.Tiny.Parameters * sizeof(float), summary.DataBytes, tolerance: GgufWriter.Alignment * summary.TensorCount);
        Assert.Contains("<|im_start|>", summary.ChatTemplate);
    }

    [Fact]
    public void Parameter_count_of_the_spec_matches_what_llama_cpp_counts_in_the_loaded_model()
    {
        // An independent count: llama.cpp sums the elements of the tensors it loaded.
        Assert.Equal(RandomLlamaSpec.Tiny.Parameters, tiny.Model.Parameters);
    }

    [Fact]
    public void Same_seed_writes_the_same_bytes_and_another_seed_other_weights()
    {
        var again = tiny.PathOf("again.gguf");
        var other = tiny.PathOf("other.gguf");
        RandomLlama.Write(again, RandomLlamaSpec.Tiny, TinyModel.Seed);
        RandomLlama.Write(other, RandomLlamaSpec.Tiny, TinyModel.Seed + 1);

        Assert.Equal(Hash(tiny.File), Hash(again));
        Assert.NotEqual(Hash(tiny.File), Hash(other));
        Assert.Equal(new FileInfo(tiny.File).Length, new FileInfo(other).Length);
    }

    [Fact]
    public void The_100M_bench_spec_has_about_100_million_parameters()
    {
        Assert.InRange(RandomLlamaSpec.Small100M.Parameters, 95_000_000, 105_000_000);
    }

    [Theory]
    [InlineData(2, 30, 4, 2, 64)]  // 4 heads do not divide 30
    [InlineData(2, 32, 4, 3, 64)]  // 3 key/value heads do not divide 4
    [InlineData(0, 32, 4, 2, 64)]
    public void Refuses_shapes_llama_cpp_cannot_run(int layers, int embedding, int heads, int kvHeads, int ff)
    {
        Assert.Throws<ArgumentException>(() => RandomLlama.Write(tiny.PathOf("bad.gguf"), new RandomLlamaSpec(layers, embedding, heads, kvHeads, ff), 1));
    }

    private static string Hash(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));
}
