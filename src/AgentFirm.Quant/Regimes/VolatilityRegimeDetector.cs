using System.Globalization;
using AgentFirm.Core;
using AgentFirm.Quant.Sizing;

namespace AgentFirm.Quant.Regimes;

public sealed record VolatilityRegimeOptions
{
    /// <summary>Log returns in the short-window realised volatility.</summary>
    public int VolatilityWindow { get; init; } = 20;

    /// <summary>Volatility readings the history needs before its percentiles mean anything; Normal until then.</summary>
    public int MinHistory { get; init; } = 50;

    /// <summary>Percentile rank below which the market is Calm.</summary>
    public double CalmBelowPercentile { get; init; } = 0.25;

    /// <summary>Percentile rank from which the market is Turbulent.</summary>
    public double TurbulentFromPercentile { get; init; } = 0.75;

    /// <summary>Drawdown of the asset from its peak close at which the market is in Crisis, whatever the volatility.</summary>
    public double CrisisDrawdown { get; init; } = 0.25;

    public void Validate()
    {
        if (VolatilityWindow < 2)
            throw new ArgumentException($"VolatilityRegimeOptions.{nameof(VolatilityWindow)} must be at least 2, got {VolatilityWindow}.", nameof(VolatilityWindow));
        if (MinHistory < 1)
            throw new ArgumentException($"VolatilityRegimeOptions.{nameof(MinHistory)} must be at least 1, got {MinHistory}.", nameof(MinHistory));
        if (!(CalmBelowPercentile > 0 && CalmBelowPercentile < TurbulentFromPercentile && TurbulentFromPercentile <= 1))
            throw new ArgumentException($"VolatilityRegimeOptions needs 0 < {nameof(CalmBelowPercentile)} ({CalmBelowPercentile}) < {nameof(TurbulentFromPercentile)} ({TurbulentFromPercentile}) <= 1.", nameof(CalmBelowPercentile));
        if (!(CrisisDrawdown > 0 && CrisisDrawdown < 1))
            throw new ArgumentException($"VolatilityRegimeOptions.{nameof(CrisisDrawdown)} must be in (0, 1), got {CrisisDrawdown}.", nameof(CrisisDrawdown));
    }
}

/// <summary>The regime as of a bar's close, with the numbers it came from.</summary>
public sealed record RegimeReading(
    DateTimeOffset AsOf,
    Regime Regime,
    double? Volatility,
    double? VolatilityPercentile,
    double Drawdown,
    bool IsReady,
    string Reason);

/// <summary>
/// Strategic regime of one asset, streaming and as-of. The short-window realised volatility is ranked
/// against every earlier reading of itself (an expanding window: no later data, no fitted thresholds):
/// rank = (earlier readings below + half of those equal) / earlier readings. Below the calm percentile is
/// Calm, from the turbulent percentile on is Turbulent, between is Normal. A drawdown from the asset's
/// peak close of at least <see cref="VolatilityRegimeOptions.CrisisDrawdown"/> is Crisis, even while the
/// volatility history is still warming up.
/// </summary>
public sealed class VolatilityRegimeDetector
{
    private readonly RollingVolatility _volatility;
    private readonly ExpandingRank _history = new();
    private double _peak = double.NegativeInfinity;
    private DateTimeOffset? _lastBar;

    public VolatilityRegimeDetector(VolatilityRegimeOptions options, Timeframe timeframe)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (timeframe.Duration <= TimeSpan.Zero) throw new ArgumentException("The timeframe must be positive.", nameof(timeframe));
        Options = options;
        _volatility = new RollingVolatility(options.VolatilityWindow, timeframe.PeriodsPerYear);
    }

    public VolatilityRegimeOptions Options { get; }

    /// <summary>The latest reading, or null before the first bar.</summary>
    public RegimeReading? Current { get; private set; }

    /// <summary>Feeds one closed bar (in time order) and returns the regime as of its close.</summary>
    public RegimeReading Update(Bar bar)
    {
        if (_lastBar is { } last && bar.Time <= last)
            throw new ArgumentException($"Bar at {bar.Time:O} is not after the previous one at {last:O}.", nameof(bar));
        var vol = _volatility.Update(bar.Close);
        _lastBar = bar.Time;
        _peak = Math.Max(_peak, bar.Close);
        var drawdown = 1 - bar.Close / _peak;

        double? percentile = null;
        var ready = false;
        var earlier = _history.Count;
        if (vol is { } v)
        {
            ready = _history.Count >= Options.MinHistory;
            if (ready)
            {
                var (less, equal) = _history.Rank(v);
                percentile = (less + 0.5 * equal) / _history.Count;
            }
            _history.Add(v); // after ranking: a reading is compared with its past only
        }

        var (regime, reason) = Classify(drawdown, percentile, earlier);
        Current = new RegimeReading(bar.CloseTime, regime, vol, percentile, drawdown, ready, reason);
        return Current;
    }

    private (Regime, string) Classify(double drawdown, double? percentile, int earlierReadings)
    {
        var o = Options;
        if (drawdown >= o.CrisisDrawdown)
            return (Regime.Crisis, Inv($"crisis: drawdown {drawdown * 100:0.0}% from the peak close, threshold {o.CrisisDrawdown * 100:0.0}%"));
        if (percentile is not { } p)
            return (Regime.Normal, Inv($"normal while warming up: {earlierReadings} of {o.MinHistory} earlier volatility readings"));
        if (p < o.CalmBelowPercentile)
            return (Regime.Calm, Inv($"calm: volatility ranks at {p * 100:0}% of its history, below {o.CalmBelowPercentile * 100:0}%"));
        if (p >= o.TurbulentFromPercentile)
            return (Regime.Turbulent, Inv($"turbulent: volatility ranks at {p * 100:0}% of its history, from {o.TurbulentFromPercentile * 100:0}%"));
        return (Regime.Normal, Inv($"normal: volatility ranks at {p * 100:0}% of its history"));
    }

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
