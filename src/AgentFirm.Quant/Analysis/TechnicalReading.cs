namespace AgentFirm.Quant.Analysis;

/// <summary>
/// The technical analyst's numbers for one symbol after its latest bar, as a value (no allocation), for hot
/// paths that do not need a full <see cref="AgentFirm.Core.AgentView"/>. Scores are in [-1, 1], positive = long.
/// </summary>
public readonly record struct TechnicalReading(
    DateTimeOffset KnownAt,
    double Close,
    double Sma20,
    double Atr14,
    double MacdHistogram,
    double Rsi14,
    double PercentB,
    double Momentum20,
    double MomentumView,
    double MeanReversionView,
    double Direction,
    double Confidence);
