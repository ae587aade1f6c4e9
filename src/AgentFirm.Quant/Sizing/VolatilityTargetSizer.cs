using System.Globalization;
using AgentFirm.Core;

namespace AgentFirm.Quant.Sizing;

public sealed record VolatilityTargetOptions
{
    /// <summary>Annualised volatility each position is sized to at full conviction and full risk budget.</summary>
    public double TargetVolatility { get; init; } = 0.4;

    /// <summary>Largest |weight| (position notional over equity) one asset may get, whatever its volatility.</summary>
    public double MaxWeight { get; init; } = 1.0;

    /// <summary>Log returns in the volatility estimate.</summary>
    public int VolatilityWindow { get; init; } = 20;

    public void Validate()
    {
        if (!double.IsFinite(TargetVolatility) || TargetVolatility <= 0)
            throw new ArgumentException($"VolatilityTargetOptions.{nameof(TargetVolatility)} must be positive, got {TargetVolatility}.", nameof(TargetVolatility));
        if (!double.IsFinite(MaxWeight) || MaxWeight <= 0)
            throw new ArgumentException($"VolatilityTargetOptions.{nameof(MaxWeight)} must be positive, got {MaxWeight}.", nameof(MaxWeight));
        if (VolatilityWindow < 2)
            throw new ArgumentException($"VolatilityTargetOptions.{nameof(VolatilityWindow)} must be at least 2, got {VolatilityWindow}.", nameof(VolatilityWindow));
    }
}

/// <summary>The meta-controller's call on one asset: direction in [-1, 1] and confidence in [0, 1].</summary>
public sealed record AssetSignal(string Symbol, double Direction, double Confidence);

/// <summary>A target position as a signed fraction of equity, with the volatility it was sized from and why.</summary>
public sealed record TargetWeight(string Symbol, double Weight, double? AssetVolatility, string Reason);

/// <summary>
/// Tactical sizing by volatility targeting: weight = direction x confidence x risk budget x target vol /
/// asset vol, clamped to +-MaxWeight, so a calm asset gets a larger position than a wild one for the same
/// conviction. Asset volatility is a <see cref="RollingVolatility"/> per symbol fed bar by bar (as-of).
/// </summary>
public sealed class VolatilityTargetSizer
{
    private readonly Dictionary<string, RollingVolatility> _volatility = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _lastBar = new(StringComparer.Ordinal);
    private readonly double _periodsPerYear;

    public VolatilityTargetSizer(VolatilityTargetOptions options, Timeframe timeframe)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (timeframe.Duration <= TimeSpan.Zero) throw new ArgumentException("The timeframe must be positive.", nameof(timeframe));
        Options = options;
        _periodsPerYear = timeframe.PeriodsPerYear;
    }

    public VolatilityTargetOptions Options { get; }

    /// <summary>Feeds one closed bar of a symbol; bars must arrive in time order.</summary>
    public void Update(string symbol, Bar bar)
    {
        if (_lastBar.TryGetValue(symbol, out var last) && bar.Time <= last)
            throw new ArgumentException($"{symbol}: bar at {bar.Time:O} is not after the previous one at {last:O}.", nameof(bar));
        if (!_volatility.TryGetValue(symbol, out var vol))
            _volatility[symbol] = vol = new RollingVolatility(Options.VolatilityWindow, _periodsPerYear);
        vol.Update(bar.Close);
        _lastBar[symbol] = bar.Time;
    }

    /// <summary>The symbol's annualised volatility as of the last bar fed, or null while warming up.</summary>
    public double? Volatility(string symbol) => _volatility.TryGetValue(symbol, out var v) ? v.Value : null;

    public TargetWeight Target(AssetSignal signal, double riskBudget)
    {
        var vol = Volatility(signal.Symbol);
        if (vol is not { } assetVol || assetVol <= 0)
            return new TargetWeight(signal.Symbol, 0, vol, $"no position: {signal.Symbol} volatility is not known yet ({Options.VolatilityWindow} returns needed)");
        var weight = Weight(signal.Direction, signal.Confidence, riskBudget, Options.TargetVolatility, assetVol, Options.MaxWeight);
        var clamped = Math.Abs(weight) >= Options.MaxWeight ? $", clamped to {Options.MaxWeight:0.##}" : "";
        return new TargetWeight(signal.Symbol, weight, assetVol, string.Create(CultureInfo.InvariantCulture,
            $"weight {weight:0.####} = direction {signal.Direction:0.###} x confidence {signal.Confidence:0.###} x budget {riskBudget:0.###} x target vol {Options.TargetVolatility:0.###} / asset vol {assetVol:0.####}{clamped}"));
    }

    public IReadOnlyList<TargetWeight> Targets(IEnumerable<AssetSignal> signals, double riskBudget) =>
        signals.Select(s => Target(s, riskBudget)).ToList();

    /// <summary>
    /// The sizing rule itself. Direction is clamped to [-1, 1], confidence and budget to [0, 1]; a NaN
    /// anywhere gives 0, so a broken upstream number means "no position", never a huge one.
    /// </summary>
    public static double Weight(double direction, double confidence, double riskBudget, double targetVolatility, double assetVolatility, double maxWeight)
    {
        if (!double.IsFinite(direction) || !double.IsFinite(confidence) || !double.IsFinite(riskBudget)
            || !double.IsFinite(targetVolatility) || !double.IsFinite(assetVolatility) || assetVolatility <= 0 || !(maxWeight > 0))
            return 0;
        var raw = Math.Clamp(direction, -1, 1) * Math.Clamp(confidence, 0, 1) * Math.Clamp(riskBudget, 0, 1) * targetVolatility / assetVolatility;
        return Math.Clamp(raw, -maxWeight, maxWeight);
    }
}
