using AgentFirm.Core;

namespace AgentFirm.Market.Bars;

/// <summary>What a threshold bar counts: base units traded (volume bars) or quote value traded (dollar bars).</summary>
public enum ActivityMeasure { Volume, Dollar }

/// <summary>
/// Volume and dollar bars: a bar closes as soon as the cumulative amount since it opened reaches the threshold
/// (the trade that crosses it belongs to the bar; trades are not split). Why: sampling by activity rather than by
/// clock gives bars that carry similar information, with returns closer to i.i.d. normal and less
/// heteroscedastic than time bars; dollar bars also stay comparable across large price moves
/// (López de Prado, Advances in Financial Machine Learning, 2018, ch. 2, sections 2.3.1.2 to 2.3.1.4).
/// Bar.Time is the first trade's time and CloseTime the last one's, so the bar is known exactly when it closes.
/// <para>
/// From finer bars the result is approximate: each finer bar is an indivisible lump, so a bar overshoots by up to
/// one finer bar, and dollar value is Bar.DollarVolume (volume x typical price), not the true traded value.
/// </para>
/// </summary>
public sealed class ThresholdBarBuilder
{
    private BarAccumulator _bar;
    private double _amount;
    private DateTimeOffset _lastTrade = DateTimeOffset.MinValue;
    private DateTimeOffset _lastBarClose = DateTimeOffset.MinValue;
    private bool? _fromTrades;

    public ThresholdBarBuilder(ActivityMeasure measure, double threshold)
    {
        if (!(threshold > 0) || !double.IsFinite(threshold))
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "The threshold must be positive and finite.");
        Measure = measure;
        Threshold = threshold;
    }

    public static ThresholdBarBuilder Volume(double baseUnits) => new(ActivityMeasure.Volume, baseUnits);

    public static ThresholdBarBuilder Dollar(double quoteValue) => new(ActivityMeasure.Dollar, quoteValue);

    public ActivityMeasure Measure { get; }

    public double Threshold { get; }

    /// <summary>Amount accumulated towards the threshold by the bar in progress.</summary>
    public double Accumulated => _amount;

    /// <summary>The bar in progress (below the threshold so far), for display only.</summary>
    public Bar? Partial => _bar.IsEmpty ? null : Current();

    /// <summary>Adds a trade; returns the bar it completed, or null.</summary>
    public Bar? Update(Trade trade)
    {
        Source(fromTrades: true);
        TradeRules.Check(trade, ref _lastTrade);
        _bar.Add(trade.Time, trade.Time, trade.Price, trade.Price, trade.Price, trade.Price, trade.Quantity);
        _amount += Measure == ActivityMeasure.Volume ? trade.Quantity : trade.Notional;
        return CloseIfDue();
    }

    /// <summary>Adds a finer bar (approximate variant, see the class note); returns the bar it completed, or null.</summary>
    public Bar? Update(Bar bar)
    {
        Source(fromTrades: false);
        if (bar.Time < _lastBarClose)
            throw new ArgumentException($"Bar at {bar.Time:O} starts before the previous bar closed ({_lastBarClose:O}); bars must be ascending.", nameof(bar));
        _lastBarClose = bar.CloseTime;
        _bar.Add(bar.Time, bar.CloseTime, bar.Open, bar.High, bar.Low, bar.Close, bar.Volume);
        _amount += Measure == ActivityMeasure.Volume ? bar.Volume : bar.DollarVolume;
        return CloseIfDue();
    }

    /// <summary>Returns the unfinished bar (below the threshold) and starts afresh; null when nothing is open.</summary>
    public Bar? Flush()
    {
        if (_bar.IsEmpty) return null;
        var bar = Current();
        Reset();
        return bar;
    }

    /// <summary>Threshold bars from trades; the unfinished tail (below the threshold) is dropped.</summary>
    public static Bar[] FromTrades(IEnumerable<Trade> trades, ActivityMeasure measure, double threshold)
    {
        var builder = new ThresholdBarBuilder(measure, threshold);
        var bars = new List<Bar>();
        foreach (var trade in trades)
            if (builder.Update(trade) is { } bar) bars.Add(bar);
        return bars.ToArray();
    }

    /// <summary>Approximate threshold bars from finer bars; the unfinished tail is dropped.</summary>
    public static Bar[] FromBars(IEnumerable<Bar> bars, ActivityMeasure measure, double threshold)
    {
        var builder = new ThresholdBarBuilder(measure, threshold);
        var result = new List<Bar>();
        foreach (var bar in bars)
            if (builder.Update(bar) is { } done) result.Add(done);
        return result.ToArray();
    }

    private Bar? CloseIfDue()
    {
        if (_amount < Threshold) return null;
        var bar = Current();
        Reset();
        return bar;
    }

    private Bar Current() => _bar.ToBar(_bar.First, _bar.LastClose - _bar.First);

    private void Reset()
    {
        _bar.Reset();
        _amount = 0;
    }

    private void Source(bool fromTrades)
    {
        _fromTrades ??= fromTrades;
        if (_fromTrades != fromTrades)
            throw new InvalidOperationException("A threshold bar builder takes either trades or bars, not both.");
    }
}
