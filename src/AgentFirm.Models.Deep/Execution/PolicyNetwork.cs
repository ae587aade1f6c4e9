namespace AgentFirm.Models.Deep.Execution;

/// <summary>
/// The trained policy as plain arrays: a two-hidden-layer tanh MLP from observation to action logits. Acting needs
/// no libtorch, which keeps a child-order decision to a few hundred multiply-adds. Saved as a small binary file:
/// magic, layer sizes, then the float weights and biases of each layer (row-major, output by input).
/// </summary>
public sealed class PolicyNetwork
{
    private const string Magic = "AFRLEXE1";
    private readonly int[] _sizes;
    private readonly float[][] _weights;
    private readonly float[][] _biases;
    private readonly float[][] _activations;

    public PolicyNetwork(int[] sizes, float[][] weights, float[][] biases)
    {
        if (sizes.Length < 2) throw new ArgumentException("A policy network needs an input and an output size.");
        if (weights.Length != sizes.Length - 1 || biases.Length != sizes.Length - 1) throw new ArgumentException("One weight matrix and bias per layer.");
        for (var l = 0; l < weights.Length; l++)
            if (weights[l].Length != sizes[l] * sizes[l + 1] || biases[l].Length != sizes[l + 1])
                throw new ArgumentException($"Layer {l}: expected {sizes[l + 1]}x{sizes[l]} weights and {sizes[l + 1]} biases.");
        _sizes = sizes;
        _weights = weights;
        _biases = biases;
        _activations = sizes.Select(n => new float[n]).ToArray();
    }

    public int Inputs => _sizes[0];
    public int Outputs => _sizes[^1];
    public IReadOnlyList<int> Sizes => _sizes;

    /// <summary>Action logits for one observation; the span is valid until the next call (not thread-safe).</summary>
    public ReadOnlySpan<float> Logits(ReadOnlySpan<float> observation)
    {
        observation.CopyTo(_activations[0]);
        for (var l = 0; l < _weights.Length; l++)
        {
            var input = _activations[l];
            var output = _activations[l + 1];
            var w = _weights[l];
            var inputs = input.Length;
            var last = l == _weights.Length - 1;
            for (var o = 0; o < output.Length; o++)
            {
                var sum = _biases[l][o];
                var row = o * inputs;
                for (var i = 0; i < inputs; i++) sum += w[row + i] * input[i];
                output[o] = last ? sum : MathF.Tanh(sum);
            }
        }
        return _activations[^1];
    }

    public int Greedy(ReadOnlySpan<float> observation)
    {
        var logits = Logits(observation);
        var best = 0;
        for (var a = 1; a < logits.Length; a++)
            if (logits[a] > logits[best]) best = a;
        return best;
    }

    /// <summary>Samples an action from the softmax of the logits; returns it with its log-probability.</summary>
    public (int Action, double LogProbability) Sample(ReadOnlySpan<float> observation, Random random)
    {
        var logits = Logits(observation);
        var max = float.NegativeInfinity;
        foreach (var v in logits) max = Math.Max(max, v);
        double total = 0;
        foreach (var v in logits) total += Math.Exp(v - max);
        var u = random.NextDouble() * total;
        var action = logits.Length - 1;
        double cumulative = 0;
        for (var a = 0; a < logits.Length; a++)
        {
            cumulative += Math.Exp(logits[a] - max);
            if (u < cumulative) { action = a; break; }
        }
        return (action, logits[action] - max - Math.Log(total));
    }

    public void Save(string path)
    {
        using var writer = new BinaryWriter(File.Create(path));
        writer.Write(Magic);
        writer.Write(_sizes.Length);
        foreach (var n in _sizes) writer.Write(n);
        for (var l = 0; l < _weights.Length; l++)
        {
            foreach (var v in _weights[l]) writer.Write(v);
            foreach (var v in _biases[l]) writer.Write(v);
        }
    }

    public static PolicyNetwork Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"No execution policy at '{path}'.", path);
        using var reader = new BinaryReader(File.OpenRead(path));
        try
        {
            if (reader.ReadString() != Magic) throw new InvalidDataException($"'{path}' is not an execution policy file (bad header).");
            var count = reader.ReadInt32();
            if (count is < 2 or > 16) throw new InvalidDataException($"'{path}': implausible layer count {count}.");
            var sizes = new int[count];
            for (var l = 0; l < count; l++)
            {
                sizes[l] = reader.ReadInt32();
                if (sizes[l] is < 1 or > 4096) throw new InvalidDataException($"'{path}': implausible layer size {sizes[l]}.");
            }
            var weights = new float[count - 1][];
            var biases = new float[count - 1][];
            for (var l = 0; l < count - 1; l++)
            {
                weights[l] = new float[sizes[l] * sizes[l + 1]];
                for (var i = 0; i < weights[l].Length; i++) weights[l][i] = reader.ReadSingle();
                biases[l] = new float[sizes[l + 1]];
                for (var i = 0; i < biases[l].Length; i++) biases[l][i] = reader.ReadSingle();
            }
            if (sizes[0] != ExecutionObservation.Features || sizes[^1] != ExecutionObservation.Actions)
                throw new InvalidDataException($"'{path}': a policy for {sizes[0]} features and {sizes[^1]} actions; this build uses {ExecutionObservation.Features} and {ExecutionObservation.Actions}.");
            return new PolicyNetwork(sizes, weights, biases);
        }
        catch (EndOfStreamException)
        {
            throw new InvalidDataException($"'{path}' ends early: not a complete execution policy file.");
        }
    }
}
