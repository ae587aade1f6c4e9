namespace AgentFirm.Llm.Local;

/// <summary>
/// The shape of a random-weight llama model: <paramref name="Layers"/> transformer blocks of width
/// <paramref name="Embedding"/> with <paramref name="Heads"/> attention heads (<paramref name="KvHeads"/> of them
/// for keys and values) and a SwiGLU feed-forward of width <paramref name="FeedForward"/>. The vocabulary is fixed:
/// <see cref="RandomLlama.Specials"/> then the 256 byte tokens, so any text a grammar allows can be spelled.
/// </summary>
public sealed record RandomLlamaSpec(int Layers, int Embedding, int Heads, int KvHeads, int FeedForward, int ContextLength = 4096)
{
    /// <summary>
    /// Two blocks of width 32 (the tests' model): loads in milliseconds. Two heads of 16 with one shared key/value
    /// head: attention over a long prompt costs per head and per position, and narrower heads only add overhead.
    /// </summary>
    public static RandomLlamaSpec Tiny { get; } = new(Layers: 2, Embedding: 32, Heads: 2, KvHeads: 1, FeedForward: 64);

    /// <summary>About 100 M parameters (14 blocks of width 768, GPT-2-small-like): the bench's realistic size.</summary>
    public static RandomLlamaSpec Small100M { get; } = new(Layers: 14, Embedding: 768, Heads: 12, KvHeads: 12, FeedForward: 2048);

    public int HeadSize => Embedding / Heads;
    public int VocabSize => RandomLlama.Vocabulary.Count;

    /// <summary>Weights in the file: embeddings and output head, attention, feed-forward and norms.</summary>
    public long Parameters
    {
        get
        {
            long kv = (long)HeadSize * KvHeads;
            long perLayer = 2L * Embedding * Embedding + 2L * Embedding * kv + 3L * Embedding * FeedForward + 2L * Embedding;
            return Layers * perLayer + 2L * VocabSize * Embedding + Embedding;
        }
    }

    /// <summary>Throws for shapes llama.cpp would refuse (heads must divide the width, key/value heads the heads).</summary>
    public void Validate()
    {
        if (Layers < 1 || Embedding < 1 || Heads < 1 || KvHeads < 1 || FeedForward < 1)
            throw new ArgumentException("every size of a random llama must be positive");
        if (Embedding % Heads != 0) throw new ArgumentException($"Heads {Heads} must divide Embedding {Embedding}");
        if (Heads % KvHeads != 0) throw new ArgumentException($"KvHeads {KvHeads} must divide Heads {Heads}");
        if (HeadSize % 2 != 0) throw new ArgumentException("the head size must be even (rotary embeddings rotate pairs)");
        // llama.cpp raises smaller contexts to 256; a file that declares less cannot be used at its own size.
        if (ContextLength < 256) throw new ArgumentException("ContextLength must be at least 256");
    }
}

/// <summary>
/// Writes a llama-architecture GGUF with random weights drawn from a seed: same spec and seed, same bytes.
/// Nothing it answers means anything; it exists so the whole local-model path (load, chat template, grammar,
/// sampling) runs in tests and benches without downloaded weights. Key names are the ones llama.cpp reads for
/// <c>general.architecture = "llama"</c> (llama.cpp src/llama-arch.cpp).
/// </summary>
public static class RandomLlama
{
    /// <summary>Control tokens first (ids 0-4), then <c>&lt;0x00&gt;</c>..<c>&lt;0xFF&gt;</c>.</summary>
    public static IReadOnlyList<string> Specials { get; } = ["<unk>", "<s>", "</s>", "<|im_start|>", "<|im_end|>"];

    public static IReadOnlyList<string> Vocabulary { get; } =
        [.. Specials, .. Enumerable.Range(0, 256).Select(b => $"<0x{b:X2}>")];

    /// <summary>ChatML, a template llama.cpp recognises (by its <c>&lt;|im_start|&gt;</c> marker) without a Jinja engine.</summary>
    public const string ChatTemplate =
        "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'}}{% endfor %}" +
        "{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}";

    // Token types of the SPM vocabulary (llama.cpp llama-vocab: NORMAL 1, UNKNOWN 2, CONTROL 3, BYTE 6).
    private const int Unknown = 2, Control = 3, Byte = 6;

    public static void Write(string path, RandomLlamaSpec spec, int seed)
    {
        ArgumentNullException.ThrowIfNull(spec);
        spec.Validate();
        var gguf = new GgufWriter();
        gguf.Add("general.architecture", "llama");
        gguf.Add("general.name", $"agentfirm-random-llama-{spec.Parameters}-seed{seed}");
        gguf.Add("general.file_type", 0u); // all F32
        gguf.Add("llama.context_length", (uint)spec.ContextLength);
        gguf.Add("llama.embedding_length", (uint)spec.Embedding);
        gguf.Add("llama.block_count", (uint)spec.Layers);
        gguf.Add("llama.feed_forward_length", (uint)spec.FeedForward);
        gguf.Add("llama.attention.head_count", (uint)spec.Heads);
        gguf.Add("llama.attention.head_count_kv", (uint)spec.KvHeads);
        gguf.Add("llama.attention.layer_norm_rms_epsilon", 1e-5f);
        gguf.Add("llama.rope.dimension_count", (uint)spec.HeadSize);
        gguf.Add("llama.vocab_size", (uint)spec.VocabSize);
        gguf.Add("tokenizer.ggml.model", "llama"); // SentencePiece-style: unknown text falls back to the byte tokens
        gguf.Add("tokenizer.ggml.tokens", Vocabulary);
        gguf.Add("tokenizer.ggml.scores", Vocabulary.Select(_ => 0f).ToArray());
        gguf.Add("tokenizer.ggml.token_type", Vocabulary.Select((_, i) => i == 0 ? Unknown : i < Specials.Count ? Control : Byte).ToArray());
        gguf.Add("tokenizer.ggml.unknown_token_id", 0u);
        gguf.Add("tokenizer.ggml.bos_token_id", 1u);
        gguf.Add("tokenizer.ggml.eos_token_id", 2u);
        gguf.Add("tokenizer.ggml.add_bos_token", true);
        gguf.Add("tokenizer.chat_template", ChatTemplate);

        // One generator per file, drawn in tensor order: the bytes depend only on the spec and the seed.
        var random = new Random(seed);
        long e = spec.Embedding, kv = (long)spec.HeadSize * spec.KvHeads, ff = spec.FeedForward, vocab = spec.VocabSize;
        gguf.AddTensor("token_embd.weight", [e, vocab], s => Uniform(random, s, 1f));
        for (var layer = 0; layer < spec.Layers; layer++)
        {
            var b = $"blk.{layer}.";
            gguf.AddTensor(b + "attn_norm.weight", [e], Ones);
            gguf.AddTensor(b + "attn_q.weight", [e, e], s => Uniform(random, s, Scale(e)));
            gguf.AddTensor(b + "attn_k.weight", [e, kv], s => Uniform(random, s, Scale(e)));
            gguf.AddTensor(b + "attn_v.weight", [e, kv], s => Uniform(random, s, Scale(e)));
            gguf.AddTensor(b + "attn_output.weight", [e, e], s => Uniform(random, s, Scale(e)));
            gguf.AddTensor(b + "ffn_norm.weight", [e], Ones);
            gguf.AddTensor(b + "ffn_gate.weight", [e, ff], s => Uniform(random, s, Scale(e)));
            gguf.AddTensor(b + "ffn_up.weight", [e, ff], s => Uniform(random, s, Scale(e)));
            gguf.AddTensor(b + "ffn_down.weight", [ff, e], s => Uniform(random, s, Scale(ff)));
        }
        gguf.AddTensor("output_norm.weight", [e], Ones);
        gguf.AddTensor("output.weight", [e, vocab], s => Uniform(random, s, Scale(e)));
        gguf.Write(path);
    }

    /// <summary>Uniform on [-a, a] with a = sqrt(3 / fan-in): unit-variance outputs for unit-variance inputs.</summary>
    private static float Scale(long fanIn) => MathF.Sqrt(3f / fanIn);

    private static void Uniform(Random random, Span<float> values, float bound)
    {
        for (var i = 0; i < values.Length; i++) values[i] = (random.NextSingle() * 2 - 1) * bound;
    }

    private static void Ones(Span<float> values) => values.Fill(1f);
}
