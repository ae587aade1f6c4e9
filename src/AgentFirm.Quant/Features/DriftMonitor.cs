using AgentFirm.Quant.Validation;

namespace AgentFirm.Quant.Features;

/// <summary>A live feature whose recent distribution no longer matches the one the model was trained on.</summary>
public sealed record DriftEvent(string Feature, double Statistic, double PValue, DateTimeOffset Time, int TrainingCount, int LiveCount)
{
    public override string ToString() =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"feature drift: {Feature} KS D={Statistic:0.####}, p={PValue:0.####E+0} ({LiveCount} live vs {TrainingCount} training values) at {Time:yyyy-MM-dd HH:mm}Z");
}

/// <summary>Drift monitor settings: which features, the live window, and the significance that raises an event.</summary>
public sealed record DriftMonitorOptions
{
    /// <summary>The features to watch (each must have a training sample).</summary>
    public required IReadOnlyList<string> Features { get; init; }

    /// <summary>Most recent live values per feature compared with the training window.</summary>
    public int LiveWindow { get; init; } = 500;

    /// <summary>No test until this many finite live values are in (small samples make the asymptotic p-value rough).</summary>
    public int MinLive { get; init; } = 100;

    /// <summary>Drift when the KS p-value falls below this.</summary>
    public double Threshold { get; init; } = 0.001;

    /// <summary>Test every this many observations (1 = every bar).</summary>
    public int CheckEvery { get; init; } = 1;
}

/// <summary>
/// Compares live feature values with the training window by a two-sample Kolmogorov-Smirnov test per feature
/// and raises a <see cref="DriftEvent"/> when p &lt; threshold: the signal the risk engine's drift circuit
/// breaker acts on (<see cref="Risk.RiskEngine.ReportDrift(DriftEvent)"/>). A feature stays drifting until a later test
/// finds p &gt;= threshold again, which <see cref="Observe"/> reports as cleared.
/// </summary>
public sealed class DriftMonitor
{
    private readonly DriftMonitorOptions _options;
    private readonly Dictionary<string, double[]> _training = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Queue<double>> _live = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DriftEvent> _active = new(StringComparer.Ordinal);
    private long _observations;

    public DriftMonitor(IReadOnlyDictionary<string, double[]> training, DriftMonitorOptions options)
    {
        ArgumentNullException.ThrowIfNull(training);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Features.Count == 0) throw new ArgumentException("The drift monitor needs at least one feature to watch.", nameof(options));
        if (options.MinLive < 2 || options.LiveWindow < options.MinLive)
            throw new ArgumentOutOfRangeException(nameof(options), $"need 2 <= MinLive ({options.MinLive}) <= LiveWindow ({options.LiveWindow})");
        if (!(options.Threshold > 0 && options.Threshold < 1)) throw new ArgumentOutOfRangeException(nameof(options), options.Threshold, "the threshold must lie in (0, 1)");
        if (options.CheckEvery < 1) throw new ArgumentOutOfRangeException(nameof(options), options.CheckEvery, "CheckEvery must be at least 1");
        _options = options;
        foreach (var feature in options.Features)
        {
            if (!training.TryGetValue(feature, out var values)) throw new ArgumentException($"No training sample for feature '{feature}'.", nameof(training));
            var finite = values.Where(double.IsFinite).ToArray();
            if (finite.Length < 2) throw new ArgumentException($"The training sample of '{feature}' has {finite.Length} finite values; at least 2 are needed.", nameof(training));
            Array.Sort(finite);
            _training[feature] = finite;
            _live[feature] = new Queue<double>(options.LiveWindow);
        }
    }

    /// <summary>Features currently drifting, with the event that raised each.</summary>
    public IReadOnlyDictionary<string, DriftEvent> Active => _active;

    /// <summary>
    /// Feeds one observation (a bar's features as of <paramref name="time"/>; unwatched names are ignored, a
    /// missing or NaN value is skipped). Returns the features that started drifting at this observation and
    /// those that stopped.
    /// </summary>
    public (IReadOnlyList<DriftEvent> Raised, IReadOnlyList<string> Cleared) Observe(DateTimeOffset time, IReadOnlyDictionary<string, double> features)
    {
        ArgumentNullException.ThrowIfNull(features);
        foreach (var (name, window) in _live)
        {
            if (!features.TryGetValue(name, out var value) || !double.IsFinite(value)) continue;
            if (window.Count == _options.LiveWindow) window.Dequeue();
            window.Enqueue(value);
        }
        var raised = new List<DriftEvent>();
        var cleared = new List<string>();
        if (_observations++ % _options.CheckEvery != 0) return (raised, cleared);
        foreach (var feature in _options.Features)
        {
            var window = _live[feature];
            if (window.Count < _options.MinLive) continue;
            var live = window.ToArray();
            Array.Sort(live);
            var test = KolmogorovSmirnov.TwoSampleSorted(_training[feature], live);
            if (test.PValue < _options.Threshold)
            {
                if (_active.ContainsKey(feature)) continue;
                var drift = new DriftEvent(feature, test.Statistic, test.PValue, time, test.FirstCount, test.SecondCount);
                _active[feature] = drift;
                raised.Add(drift);
            }
            else if (_active.Remove(feature)) cleared.Add(feature);
        }
        return (raised, cleared);
    }
}
