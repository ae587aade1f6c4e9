using AgentFirm.Agents.Contracts;
using AgentFirm.Core;

namespace AgentFirm.Agents.Firm;

/// <summary>
/// Headlines and non-price series (on-chain, funding, sentiment indices) released to the firm as they
/// become known: each call hands out what was published after the previous call and up to the decision
/// time, never later, and never the same item twice.
/// </summary>
public sealed class SideDataFeed
{
    private readonly Headline[] _headlines;
    private readonly SeriesPoint[] _series;
    private int _nextHeadline;
    private int _nextPoint;

    public SideDataFeed(IEnumerable<Headline>? headlines = null, IEnumerable<SeriesPoint>? series = null)
    {
        _headlines = (headlines ?? []).OrderBy(h => h.Time).ToArray();
        _series = (series ?? []).OrderBy(p => p.KnownAt).ToArray();
    }

    public static SideDataFeed Empty { get; } = new();

    public (Headline[] Headlines, SeriesPoint[] Series) Release(DateTimeOffset now)
    {
        var startH = _nextHeadline;
        while (_nextHeadline < _headlines.Length && _headlines[_nextHeadline].Time <= now) _nextHeadline++;
        var startS = _nextPoint;
        while (_nextPoint < _series.Length && _series[_nextPoint].KnownAt <= now) _nextPoint++;
        return (_headlines[startH.._nextHeadline], _series[startS.._nextPoint]);
    }
}
