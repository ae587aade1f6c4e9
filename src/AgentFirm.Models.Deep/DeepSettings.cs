using AgentFirm.Models.Forecasting;

namespace AgentFirm.Models.Deep;

/// <summary>The deep architectures: recurrent (LSTM, GRU), linear on the time axis (DLinear, NLinear) and PatchTST.</summary>
public enum DeepArchitecture { Lstm, Gru, DLinear, NLinear, PatchTst }

/// <summary>Where tensors live: auto picks CUDA when a CUDA libtorch is loaded, else the CPU.</summary>
public enum DeviceChoice { Auto, Cpu, Cuda }

/// <summary>
/// Hyper-parameters of a deep forecaster. Small by default (CPU, 2 cores): hidden 32, one recurrent layer,
/// PatchTST with patch 16 / stride 8, 2 encoder layers, d_model 32, 4 heads.
/// </summary>
public sealed record DeepSettings
{
    /// <summary>Bars of features the network sees per decision (the sequence length L).</summary>
    public int Lookback { get; init; } = 32;
    public int Hidden { get; init; } = 32;
    public int Layers { get; init; } = 1;
    public double Dropout { get; init; } = 0.1;
    public double LearningRate { get; init; } = 1e-3;
    public double WeightDecay { get; init; } = 1e-4;
    public int Epochs { get; init; } = 20;
    public int BatchSize { get; init; } = 256;
    /// <summary>Epochs without a better validation loss before training stops (the best epoch's weights are kept).</summary>
    public int Patience { get; init; } = 3;
    public int PatchLength { get; init; } = 16;
    public int PatchStride { get; init; } = 8;
    public int EncoderLayers { get; init; } = 2;
    public int Heads { get; init; } = 4;
    /// <summary>
    /// PatchTST: with more input features than this, a learned linear map first mixes them into this many series,
    /// each then patched channel-independently (140 raw channels cost about 9 times more on a CPU).
    /// </summary>
    public int PatchChannels { get; init; } = 16;
    /// <summary>DLinear's moving-average kernel for the trend (odd).</summary>
    public int TrendKernel { get; init; } = 25;
    public DeviceChoice Device { get; init; } = DeviceChoice.Auto;
    /// <summary>Intra-op threads; 1 (the default) makes training reproducible bit for bit on the CPU.</summary>
    public int Threads { get; init; } = 1;

    public static DeepArchitecture ParseArchitecture(string name) => name.ToLowerInvariant() switch
    {
        "lstm" => DeepArchitecture.Lstm,
        "gru" => DeepArchitecture.Gru,
        "dlinear" => DeepArchitecture.DLinear,
        "nlinear" => DeepArchitecture.NLinear,
        "patchtst" => DeepArchitecture.PatchTst,
        _ => throw new ArgumentException($"unknown deep architecture '{name}': use lstm, gru, dlinear, nlinear or patchtst"),
    };

    internal Dictionary<string, double> ToNumbers() => new()
    {
        ["lookback"] = Lookback, ["hidden"] = Hidden, ["layers"] = Layers, ["dropout"] = Dropout,
        ["learning_rate"] = LearningRate, ["weight_decay"] = WeightDecay, ["epochs"] = Epochs, ["batch_size"] = BatchSize,
        ["patience"] = Patience, ["patch_length"] = PatchLength, ["patch_stride"] = PatchStride,
        ["encoder_layers"] = EncoderLayers, ["heads"] = Heads, ["patch_channels"] = PatchChannels, ["trend_kernel"] = TrendKernel, ["threads"] = Threads,
    };

    internal static DeepSettings FromNumbers(ForecasterMetadata meta, DeviceChoice device) => new()
    {
        Lookback = (int)meta.Number("lookback"), Hidden = (int)meta.Number("hidden"), Layers = (int)meta.Number("layers"),
        Dropout = meta.Number("dropout"), LearningRate = meta.Number("learning_rate"), WeightDecay = meta.Number("weight_decay"),
        Epochs = (int)meta.Number("epochs"), BatchSize = (int)meta.Number("batch_size"), Patience = (int)meta.Number("patience"),
        PatchLength = (int)meta.Number("patch_length"), PatchStride = (int)meta.Number("patch_stride"),
        EncoderLayers = (int)meta.Number("encoder_layers"), Heads = (int)meta.Number("heads"), PatchChannels = (int)meta.Number("patch_channels"),
        TrendKernel = (int)meta.Number("trend_kernel"), Threads = (int)meta.Number("threads"), Device = device,
    };
}
