using System.Diagnostics;
using AgentFirm.Models.Forecasting;
using TorchSharp;
using static TorchSharp.torch;

namespace AgentFirm.Models.Deep;

/// <summary>
/// A sequence forecaster on TorchSharp: the last L rows of standardised features (mean/sd from the training
/// samples only) go through one of the <see cref="DeepArchitecture"/> networks. Classification trains one logit
/// with binary cross-entropy; regression trains three outputs mapped to ordered quantiles
/// q50 = o0, q10 = o0 - softplus(o1), q90 = o0 + softplus(o2) with the pinball loss at 0.1/0.5/0.9 on the
/// standardised label. AdamW (weight decay), dropout, early stopping on the time-ordered validation tail
/// keeping the best epoch's weights. Deterministic with a seed (torch.manual_seed for weights and dropout,
/// a seeded shuffle, one intra-op thread by default).
/// </summary>
public sealed class DeepForecaster : IForecaster, IDisposable
{
    public const string WeightsFile = "model.bin";
    private static readonly double[] QuantileLevels = [0.1, 0.5, 0.9];

    private readonly Action<string>? _log;
    private nn.Module<Tensor, Tensor>? _net;
    private Standardiser? _standardiser;
    private double _labelMean, _labelScale = 1;
    private int _seed = 42;

    public DeepForecaster(DeepArchitecture architecture, ForecastTask task, IReadOnlyList<string> featureNames, DeepSettings? settings = null, Action<string>? log = null)
    {
        Architecture = architecture;
        Task = task;
        FeatureNames = featureNames;
        Settings = settings ?? new DeepSettings();
        _log = log;
        (Device, DeviceReason) = ResolveDevice(Settings.Device);
        _log?.Invoke($"{Kind}: device {Device.type} ({DeviceReason})");
    }

    public DeepArchitecture Architecture { get; }
    public string Kind => Architecture.ToString().ToLowerInvariant();
    public ForecastTask Task { get; }
    public int Lookback => Settings.Lookback;
    public IReadOnlyList<string> FeatureNames { get; }
    public DeepSettings Settings { get; }
    public bool IsFitted => _net is not null;
    public Device Device { get; }
    /// <summary>Why <see cref="Device"/> was chosen (e.g. a CUDA request that fell back to the CPU).</summary>
    public string DeviceReason { get; }
    private int Outputs => Task == ForecastTask.Classification ? 1 : 3;

    /// <summary>auto: CUDA when torch.cuda.is_available(), else CPU; cuda without a CUDA libtorch falls back to CPU.</summary>
    public static (Device Device, string Reason) ResolveDevice(DeviceChoice choice)
    {
        if (choice == DeviceChoice.Cpu) return (CPU, "cpu requested");
        var cuda = torch.cuda.is_available();
        if (cuda) return (CUDA, choice == DeviceChoice.Cuda ? "cuda requested and available" : "auto: cuda available");
        return (CPU, choice == DeviceChoice.Cuda
            ? "cuda requested but torch.cuda.is_available() is false (the CPU libtorch is loaded): falling back to cpu"
            : "auto: torch.cuda.is_available() is false, using cpu");
    }

    public FitReport Fit(ForecastDataset data, FitOptions options)
    {
        var started = Stopwatch.StartNew();
        var (train, validation) = data.SplitForValidation(Lookback, options);
        if (train.Length < 2) throw new ArgumentException($"only {train.Length} usable training samples for a lookback of {Lookback}");
        if (Task == ForecastTask.Classification) data.RequireBinaryLabels(train);
        _seed = options.Seed;
        torch.set_num_threads(Math.Max(1, Settings.Threads));
        torch.manual_seed(options.Seed);

        // Standardise with training rows only; every row (context rows too) is then transformed once.
        _standardiser = Standardiser.Fit(data.Rows, ContextRows(train));
        var f = FeatureNames.Count;
        var matrix = new float[data.Count * f];
        var z = new double[f];
        for (var i = 0; i < data.Count; i++)
        {
            if (!ForecastDatasetRowFinite(data.Rows[i])) continue; // never inside a usable sample's window
            _standardiser.Transform(data.Rows[i], z);
            for (var j = 0; j < f; j++) matrix[i * f + j] = (float)Math.Clamp(z[j], -10, 10);
        }
        if (Task == ForecastTask.Regression)
        {
            var y = train.Select(i => data.Labels[i]).ToArray();
            _labelMean = y.Average();
            var sd = Math.Sqrt(y.Sum(v => (v - _labelMean) * (v - _labelMean)) / Math.Max(1, y.Length - 1));
            _labelScale = sd > 1e-12 ? sd : 1;
        }

        _net?.Dispose();
        _net = Networks.Create(Architecture, f, Outputs, Settings);
        _net.to(Device);
        using var optimizer = new DecoupledAdam(_net.parameters(), Settings.LearningRate, Settings.WeightDecay);
        var shuffle = new Random(options.Seed);
        var order = (int[])train.Clone();
        var best = double.PositiveInfinity;
        Dictionary<string, Tensor>? bestState = null;
        var bestEpoch = 0;
        var epochs = 0;
        for (var epoch = 1; epoch <= Settings.Epochs; epoch++)
        {
            epochs = epoch;
            shuffle.Shuffle(order);
            _net.train();
            double sum = 0, weight = 0;
            for (var b = 0; b < order.Length; b += Settings.BatchSize)
            {
                using var quiet = new GcQuietBatch();
                using var scope = NewDisposeScope();
                var batch = order.AsSpan(b, Math.Min(Settings.BatchSize, order.Length - b)).ToArray();
                var loss = BatchLoss(data, matrix, batch, out var batchWeight);
                _net.zero_grad();
                loss.backward();
                optimizer.Step();
                sum += loss.item<float>() * batchWeight;
                weight += batchWeight;
            }
            var trainLoss = sum / weight;
            var validationLoss = validation.Length > 0 ? Evaluate(data, matrix, validation) : trainLoss;
            options.Progress?.Report(new FitProgress(epoch, Settings.Epochs, trainLoss, validationLoss));
            if (validationLoss < best - 1e-7)
            {
                best = validationLoss;
                bestEpoch = epoch;
                DisposeState(bestState);
                bestState = _net.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone());
            }
            else if (validation.Length > 0 && epoch - bestEpoch >= Settings.Patience) break;
        }
        if (bestState is not null)
        {
            _net.load_state_dict(bestState);
            DisposeState(bestState);
        }
        _net.eval();
        return new FitReport(Kind, train.Length, validation.Length, epochs, validation.Length > 0 ? best : double.NaN, started.Elapsed);
    }

    private static void DisposeState(Dictionary<string, Tensor>? state)
    {
        if (state is null) return;
        foreach (var t in state.Values) t.Dispose();
    }

    private static bool ForecastDatasetRowFinite(double[] row)
    {
        foreach (var x in row) if (!double.IsFinite(x)) return false;
        return true;
    }

    /// <summary>Rows inside training samples' windows, for the standardiser (rows before the first label count too).</summary>
    private int[] ContextRows(int[] train)
    {
        var rows = new SortedSet<int>();
        foreach (var i in train)
            for (var k = i - Lookback + 1; k <= i; k++) rows.Add(k);
        return rows.ToArray();
    }

    private float[]? _buffer;

    /// <summary>
    /// TorchSharp 0.107 passes temporary Scalars (e.g. the implicit alpha = 1 of add/sub) to native calls by handle
    /// without keeping them alive, and Scalar's finalizer frees its native memory: a garbage collection while such a
    /// call runs can free a Scalar in use ("Unknown scalar type", "Expected false to be true" on long runs). So each
    /// batch runs after a collection has drained pending finalizers, inside a no-GC region (no collection, hence no
    /// finalizer, can start in it); with little allocated per batch the region holds.
    /// </summary>
    private readonly struct GcQuietBatch : IDisposable
    {
        private const long Budget = 64L * 1024 * 1024;
        private readonly bool _started;

        public GcQuietBatch()
        {
            GC.Collect(0, GCCollectionMode.Forced, blocking: true);
            GC.WaitForPendingFinalizers();
            try { _started = GC.TryStartNoGCRegion(Budget); }
            catch (Exception ex) when (ex is ArgumentOutOfRangeException or InvalidOperationException) { _started = false; }
        }

        public void Dispose()
        {
            if (!_started || System.Runtime.GCSettings.LatencyMode != System.Runtime.GCLatencyMode.NoGCRegion) return;
            try { GC.EndNoGCRegion(); }
            catch (InvalidOperationException) { } // the batch outgrew the budget and a collection already ended the region
        }
    }

    private Tensor Inputs(float[] matrix, IReadOnlyList<int> samples)
    {
        var f = FeatureNames.Count;
        var l = Lookback;
        // One reused buffer for full batches keeps the allocation rate (and so mid-call GCs) low; see GcQuietBatch.
        var size = samples.Count * l * f;
        var buffer = _buffer?.Length == size ? _buffer : new float[size];
        if (samples.Count == Settings.BatchSize) _buffer = buffer;
        for (var s = 0; s < samples.Count; s++)
            Array.Copy(matrix, (samples[s] - l + 1) * f, buffer, s * l * f, l * f);
        return tensor(buffer, [samples.Count, l, f]).to(Device);
    }

    private Tensor BatchLoss(ForecastDataset data, float[] matrix, int[] batch, out double batchWeight)
    {
        var x = Inputs(matrix, batch);
        var output = _net!.call(x);
        var w = batch.Select(i => (float)data.Weight(i)).ToArray();
        batchWeight = w.Sum();
        var weights = tensor(w).to(Device);
        Tensor perSample;
        if (Task == ForecastTask.Classification)
        {
            var y = tensor(batch.Select(i => (float)data.Labels[i]).ToArray()).to(Device);
            perSample = nn.functional.binary_cross_entropy_with_logits(output.squeeze(-1), y, reduction: nn.Reduction.None);
        }
        else
        {
            var y = tensor(batch.Select(i => (float)((data.Labels[i] - _labelMean) / _labelScale)).ToArray()).to(Device).unsqueeze(-1);
            var q = OrderedQuantiles(output);
            // Levels as tensors (not double scalars) so no temporary Scalar crosses into native code.
            var levels = tensor(QuantileLevels.Select(v => (float)v).ToArray()).to(Device);
            var below = tensor(QuantileLevels.Select(v => (float)(v - 1)).ToArray()).to(Device);
            var e = y - q; // [B, 3]
            perSample = maximum(levels * e, below * e).mean([1]);
        }
        return (perSample * weights).sum() / weights.sum();
    }

    /// <summary>[B, 3] raw outputs to q10 &lt;= q50 &lt;= q90 (standardised label units).</summary>
    private static Tensor OrderedQuantiles(Tensor output)
    {
        var mid = output.narrow(1, 0, 1);
        var lower = mid - nn.functional.softplus(output.narrow(1, 1, 1));
        var upper = mid + nn.functional.softplus(output.narrow(1, 2, 1));
        return cat([lower, mid, upper], 1);
    }

    private double Evaluate(ForecastDataset data, float[] matrix, int[] samples)
    {
        _net!.eval();
        using var grad = no_grad();
        double sum = 0, weight = 0;
        for (var b = 0; b < samples.Length; b += Settings.BatchSize)
        {
            using var quiet = new GcQuietBatch();
            using var scope = NewDisposeScope();
            var batch = samples.AsSpan(b, Math.Min(Settings.BatchSize, samples.Length - b)).ToArray();
            var loss = BatchLoss(data, matrix, batch, out var w);
            sum += loss.item<float>() * w;
            weight += w;
        }
        return sum / weight;
    }

    public Forecast Predict(IReadOnlyList<double[]> rows, int index) => PredictBatch(rows, [index])[0];

    public Forecast[] PredictBatch(IReadOnlyList<double[]> rows, IReadOnlyList<int> indices)
    {
        if (_net is null || _standardiser is null) throw new InvalidOperationException("the forecaster is not fitted");
        var f = FeatureNames.Count;
        var l = Lookback;
        var results = new Forecast[indices.Count];
        var z = new double[f];
        _net.eval();
        using var grad = no_grad();
        for (var b = 0; b < indices.Count; b += Settings.BatchSize)
        {
            // Not for one-row forecasts: they allocate little and must stay fast.
            using var quiet = indices.Count > 1 ? new GcQuietBatch() : default;
            using var scope = NewDisposeScope();
            var count = Math.Min(Settings.BatchSize, indices.Count - b);
            var buffer = new float[count * l * f];
            for (var s = 0; s < count; s++)
            {
                var index = indices[b + s];
                if (index < l - 1 || index >= rows.Count) throw new ArgumentOutOfRangeException(nameof(indices), index, $"a forecast needs the {l} rows ending at the decision row");
                for (var k = 0; k < l; k++)
                {
                    var row = rows[index - l + 1 + k];
                    _standardiser.Transform(row, z);
                    for (var j = 0; j < f; j++) buffer[(s * l + k) * f + j] = (float)Math.Clamp(z[j], -10, 10);
                }
            }
            var output = _net.call(tensor(buffer, [count, l, f]).to(Device));
            if (Task == ForecastTask.Classification)
            {
                var p = nn.functional.sigmoid(output.squeeze(-1)).cpu().data<float>().ToArray();
                for (var s = 0; s < count; s++) results[b + s] = new Forecast(p[s]);
            }
            else
            {
                var q = OrderedQuantiles(output).cpu().data<float>().ToArray();
                for (var s = 0; s < count; s++)
                {
                    double Un(int k) => _labelMean + _labelScale * q[s * 3 + k];
                    results[b + s] = new Forecast(Un(1), Un(0), Un(1), Un(2));
                }
            }
        }
        return results;
    }

    /// <summary>The deep models report no feature importance (gradient attributions are not computed).</summary>
    public IReadOnlyList<FeatureImportance> FeatureImportance() => [];

    public void Save(string directory)
    {
        if (_net is null || _standardiser is null) throw new InvalidOperationException("the forecaster is not fitted");
        Directory.CreateDirectory(directory);
        _net.save(Path.Combine(directory, WeightsFile));
        var numbers = Settings.ToNumbers();
        numbers["seed"] = _seed;
        numbers["label_mean"] = _labelMean;
        numbers["label_scale"] = _labelScale;
        new ForecasterMetadata
        {
            Kind = Kind,
            Task = Task,
            FeatureNames = FeatureNames,
            Lookback = Lookback,
            Numbers = numbers,
            Arrays = { ["mean"] = _standardiser.Mean, ["scale"] = _standardiser.Scale },
        }.Write(directory);
    }

    public static DeepForecaster Load(string directory, DeviceChoice device = DeviceChoice.Auto, Action<string>? log = null)
    {
        var meta = ForecasterMetadata.Read(directory);
        var settings = DeepSettings.FromNumbers(meta, device);
        var model = new DeepForecaster(DeepSettings.ParseArchitecture(meta.Kind), meta.Task, meta.FeatureNames, settings, log)
        {
            _standardiser = new Standardiser(meta.Array("mean"), meta.Array("scale")),
            _labelMean = meta.Number("label_mean"),
            _labelScale = meta.Number("label_scale"),
            _seed = (int)meta.Number("seed"),
        };
        model._net = Networks.Create(model.Architecture, meta.FeatureNames.Count, model.Outputs, settings);
        model._net.load(Path.Combine(directory, WeightsFile));
        model._net.to(model.Device);
        model._net.eval();
        return model;
    }

    public void Dispose() => _net?.Dispose();
}
