using AgentFirm.Core;

namespace AgentFirm.Quant.Indicators;

/// <summary>
/// A streaming indicator, Lean style: fed one input at a time, so a value can only depend on what was
/// fed so far (as-of by construction). <see cref="Value"/> is NaN until <see cref="IsReady"/>.
/// </summary>
public interface IIndicator
{
    /// <summary>Number of inputs needed before every output of the indicator is published.</summary>
    int WarmUpPeriod { get; }

    /// <summary>Number of inputs fed so far.</summary>
    int Samples { get; }

    bool IsReady { get; }

    /// <summary>The primary output; NaN during warm-up.</summary>
    double Value { get; }
}

/// <summary>An indicator of bars: needs high, low, close or volume, not just one price.</summary>
public interface IBarIndicator : IIndicator
{
    double Update(in Bar bar);
}

/// <summary>An indicator of one number per step (a close, a spread); fed a bar it reads the close.</summary>
public interface IValueIndicator : IBarIndicator
{
    double Update(double value);
}
