using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AgentFirm.Models.Deep;

/// <summary>
/// The networks: input [batch, L, features], output [batch, outputs] (1 logit for classification; 3 raw values
/// turned into ordered quantiles by the forecaster for regression).
/// </summary>
internal static class Networks
{
    public static nn.Module<Tensor, Tensor> Create(DeepArchitecture architecture, int features, int outputs, DeepSettings s) => architecture switch
    {
        DeepArchitecture.Lstm => new RecurrentNet("lstm", features, outputs, s, gru: false),
        DeepArchitecture.Gru => new RecurrentNet("gru", features, outputs, s, gru: true),
        DeepArchitecture.DLinear => new DLinearNet(features, outputs, s),
        DeepArchitecture.NLinear => new NLinearNet(features, outputs, s),
        DeepArchitecture.PatchTst => new PatchTstNet(features, outputs, s),
        _ => throw new ArgumentOutOfRangeException(nameof(architecture)),
    };
}

/// <summary>LSTM or GRU over the sequence; the last step's hidden state, after dropout, feeds a linear head.</summary>
internal sealed class RecurrentNet : nn.Module<Tensor, Tensor>
{
    private readonly LSTM? lstm;
    private readonly GRU? gru;
    private readonly Dropout dropout;
    private readonly Linear head;

    public RecurrentNet(string name, int features, int outputs, DeepSettings s, bool gru) : base(name)
    {
        var between = s.Layers > 1 ? s.Dropout : 0;
        if (gru) this.gru = nn.GRU(features, s.Hidden, s.Layers, batchFirst: true, dropout: between);
        else lstm = nn.LSTM(features, s.Hidden, s.Layers, batchFirst: true, dropout: between);
        dropout = nn.Dropout(s.Dropout);
        head = nn.Linear(s.Hidden, outputs);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var sequence = lstm is not null ? lstm.call(x).Item1 : gru!.call(x).Item1;
        var last = sequence.select(1, -1);
        return head.call(dropout.call(last)).MoveToOuterDisposeScope();
    }
}

/// <summary>
/// DLinear (Zeng et al., "Are Transformers Effective for Time Series Forecasting?", AAAI 2023): each feature's
/// sequence splits into a moving-average trend and the remainder; one linear map over time for each part
/// (shared across features) gives a value per feature, and a linear head maps the features to the outputs.
/// </summary>
internal sealed class DLinearNet : nn.Module<Tensor, Tensor>
{
    private readonly Linear trend;
    private readonly Linear seasonal;
    private readonly Dropout dropout;
    private readonly Linear head;
    private readonly int kernel;

    public DLinearNet(int features, int outputs, DeepSettings s) : base("dlinear")
    {
        kernel = Math.Max(1, Math.Min(s.TrendKernel, s.Lookback) | 1);
        trend = nn.Linear(s.Lookback, 1);
        seasonal = nn.Linear(s.Lookback, 1);
        dropout = nn.Dropout(s.Dropout);
        head = nn.Linear(features, outputs);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var channels = x.transpose(1, 2); // [B, F, L]
        // Moving average with the ends repeated, so the trend has length L.
        var pad = (kernel - 1) / 2;
        var length = channels.shape[2];
        var front = channels.narrow(2, 0, 1).expand(-1, -1, pad);
        var back = channels.narrow(2, length - 1, 1).expand(-1, -1, pad);
        var padded = cat([front, channels, back], 2);
        var trendPart = nn.functional.avg_pool1d(padded, kernel, 1);
        var seasonalPart = channels - trendPart;
        var perFeature = (trend.call(trendPart) + seasonal.call(seasonalPart)).squeeze(-1); // [B, F]
        return head.call(dropout.call(perFeature)).MoveToOuterDisposeScope();
    }
}

/// <summary>NLinear (same paper): subtract each feature's last value, one linear map over time, add it back.</summary>
internal sealed class NLinearNet : nn.Module<Tensor, Tensor>
{
    private readonly Linear time;
    private readonly Dropout dropout;
    private readonly Linear head;

    public NLinearNet(int features, int outputs, DeepSettings s) : base("nlinear")
    {
        time = nn.Linear(s.Lookback, 1);
        dropout = nn.Dropout(s.Dropout);
        head = nn.Linear(features, outputs);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var channels = x.transpose(1, 2); // [B, F, L]
        var last = channels.narrow(2, channels.shape[2] - 1, 1);
        var perFeature = (time.call(channels - last) + last).squeeze(-1);
        return head.call(dropout.call(perFeature)).MoveToOuterDisposeScope();
    }
}

/// <summary>
/// PatchTST (Nie et al., "A Time Series is Worth 64 Words", ICLR 2023), small: channel-independent patches of
/// length P with stride S embedded to d_model, a learned position embedding, a Transformer encoder shared by
/// all features, and a flatten head over (features x patches x d_model). With more features than
/// <see cref="DeepSettings.PatchChannels"/>, a linear map first mixes them into that many series (a CPU budget choice).
/// </summary>
internal sealed class PatchTstNet : nn.Module<Tensor, Tensor>
{
    private readonly Linear? mix;
    private readonly Linear embed;
    private readonly Parameter position;
    private readonly ModuleList<TransformerEncoderLayer> encoder;
    private readonly Dropout dropout;
    private readonly Linear head;
    private readonly int patchLength, stride, patches, model;

    public PatchTstNet(int features, int outputs, DeepSettings s) : base("patchtst")
    {
        if (s.Lookback < s.PatchLength) throw new ArgumentException($"PatchTST needs a lookback of at least the patch length {s.PatchLength}; got {s.Lookback}");
        patchLength = s.PatchLength;
        stride = s.PatchStride;
        patches = (s.Lookback - s.PatchLength) / s.PatchStride + 1;
        model = s.Hidden;
        if (features > s.PatchChannels)
        {
            mix = nn.Linear(features, s.PatchChannels);
            features = s.PatchChannels;
        }
        embed = nn.Linear(patchLength, model);
        position = nn.Parameter(randn(patches, model) * 0.02);
        encoder = nn.ModuleList(Enumerable.Range(0, s.EncoderLayers)
            .Select(_ => nn.TransformerEncoderLayer(model, s.Heads, 2 * model, s.Dropout)).ToArray());
        dropout = nn.Dropout(s.Dropout);
        head = nn.Linear(features * patches * model, outputs);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var batch = x.shape[0];
        if (mix is not null) x = mix.call(x);                    // [B, L, C]
        var features = x.shape[2];
        var channels = x.transpose(1, 2);                       // [B, F, L]
        var start = channels.shape[2] - ((patches - 1) * stride + patchLength); // use the most recent bars
        var cut = start > 0 ? channels.narrow(2, start, channels.shape[2] - start) : channels;
        var tokens = cut.unfold(2, patchLength, stride);        // [B, F, N, P]
        var z = embed.call(tokens.reshape(batch * features, patches, patchLength)) + position; // [B*F, N, d]
        z = z.transpose(0, 1);                                   // [N, B*F, d]: the encoder is sequence-first
        foreach (var layer in encoder) z = layer.call(z);
        var flat = z.transpose(0, 1).reshape(batch, features * patches * model);
        return head.call(dropout.call(flat)).MoveToOuterDisposeScope();
    }
}
