using AgentFirm.Core;

namespace AgentFirm.Market.Data;

/// <summary>What to do when bars are missing (spacing longer than the timeframe).</summary>
public enum GapPolicy
{
    /// <summary>Throw <see cref="BadInputException"/> at the first row after a gap.</summary>
    Fail,
    /// <summary>Mark and carry forward: insert filler bars O=H=L=C=previous close, volume 0 (see <see cref="Bar.IsFiller"/>).</summary>
    CarryForward,
    /// <summary>Keep the bars as they are; the gap is counted in the report and warned about, nothing is invented.</summary>
    Skip,
}

public sealed record LoadOptions
{
    /// <summary>Bar interval; null = infer from the file (median spacing of consecutive bars).</summary>
    public Timeframe? Timeframe { get; init; }

    public GapPolicy Gaps { get; init; } = GapPolicy.Fail;

    /// <summary>null = from the file name (BTC-USDT.csv.gz -> BTC-USDT; Binance BTCUSDT-1h-2025-01.csv -> BTC-USDT).</summary>
    public string? Symbol { get; init; }

    /// <summary>
    /// Spike check, in local robust sigmas: a bar is warned about when one of its prices lies more than
    /// SpikeThreshold x sigma x sqrt(K) (log distance) from the median close of its K=5 neighbours on each side,
    /// where sigma = 1.4826 x median |log return| of those neighbours, AND more than <see cref="SpikeFloor"/> away.
    /// 10 sigmas leaves real crashes (BTC 2020-03-12, about 3 sigmas by this measure) alone. 0 or less turns the check off.
    /// </summary>
    public double SpikeThreshold { get; init; } = 10.0;

    /// <summary>Smallest log distance from the neighbour median that can be a spike: ln 2, i.e. double or half.</summary>
    public double SpikeFloor { get; init; } = Math.Log(2.0);
}

/// <summary>A problem worth a look that did not stop the load. Row is the 1-based line in the file (header = 1).</summary>
public sealed record LoadWarning(string File, long Row, string Field, string Message);

/// <summary>
/// What a load read and did. Gaps = gap events, MissingBars = bars absent inside them, FilledBars = filler bars
/// inserted (only with <see cref="GapPolicy.CarryForward"/>). Sha256 is over the raw file bytes (compressed as stored).
/// </summary>
public sealed record LoadReport(
    string File,
    string Sha256,
    int Rows,
    int Gaps,
    int MissingBars,
    int FilledBars,
    IReadOnlyList<LoadWarning> Warnings,
    DateTimeOffset? First,
    DateTimeOffset? Last);

public sealed record LoadedSeries(string Symbol, Timeframe Timeframe, Bar[] Bars, LoadReport Report);
