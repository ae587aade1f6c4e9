namespace AgentFirm.Core;

/// <summary>
/// One OHLCV bar. <see cref="Time"/> is the bar's open time (the convention of ../shared/data and of
/// exchanges); the bar is only known once it has closed, at <see cref="CloseTime"/>. Volume is in base units.
/// Duration is explicit because volume and dollar bars have no fixed length.
/// </summary>
public readonly record struct Bar(
    DateTimeOffset Time,
    TimeSpan Duration,
    double Open,
    double High,
    double Low,
    double Close,
    double Volume)
{
    public DateTimeOffset CloseTime => Time + Duration;

    /// <summary>Traded value in quote currency, approximated by the typical price.</summary>
    public double DollarVolume => Volume * (High + Low + Close) / 3.0;

    /// <summary>True for bars synthesised to bridge a data gap (flat at the last close, zero volume).</summary>
    public bool IsFiller => Volume == 0 && Open == High && High == Low && Low == Close;
}
