using AgentFirm.Core;

namespace AgentFirm.Quant.Analysis;

/// <summary>
/// A model's forecast at the newest bar: P(the label is up), the number of labels it was trained on and when the
/// last of them resolved (<see cref="TrainedThrough"/>, the close of its label window's last bar), so a caller
/// can check the model never trained on anything after a decision.
/// </summary>
public readonly record struct ToolForecast(double ProbabilityUp, int TrainingSamples, DateTimeOffset TrainedThrough, DateTimeOffset FittedAt);

/// <summary>
/// A forecaster the technical analyst can consult: it sees the same bars (<see cref="Observe"/>), retrains on
/// past data only, and answers as of the newest bar it has seen.
/// </summary>
public interface IForecastTool
{
    string Name { get; }
    void Observe(string symbol, in Bar bar);
    /// <summary>The forecast at the newest bar of <paramref name="symbol"/>, or null while there is too little history.</summary>
    ToolForecast? Forecast(string symbol);
}

/// <summary>Makes one tool per analyst (tools keep per-symbol state, so two firms must not share one).</summary>
public interface IForecastToolFactory
{
    IForecastTool Create();
}
