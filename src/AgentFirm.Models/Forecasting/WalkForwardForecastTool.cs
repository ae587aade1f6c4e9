using AgentFirm.Core;
using AgentFirm.Quant.Analysis;
using AgentFirm.Quant.Labels;

namespace AgentFirm.Models.Forecasting;

/// <summary>
/// A forecaster as a tool for the technical analyst, trained walk-forward on the bars it is fed: after
/// <see cref="MinimumBars"/> bars of a symbol, and then every <see cref="RetrainEvery"/> bars, it refits on the rows
/// whose labels resolved strictly before the newest bar (so the last training label closed no later than the
/// decision bar opened), and forecasts P(up) at the newest bar with the latest fit. Classification labels only
/// (direction or triple-barrier). Features stream bar by bar (<see cref="ForecastFeatures"/>).
/// </summary>
public sealed class WalkForwardForecastTool : IForecastTool
{
    private readonly Func<IReadOnlyList<string>, IForecaster> _create;
    private readonly IReadOnlyList<int> _lags;
    private readonly Dictionary<string, SymbolState> _symbols = new(StringComparer.Ordinal);

    public WalkForwardForecastTool(string name, Func<IReadOnlyList<string>, IForecaster> create, LabelSpec label, int retrainEvery, int minimumBars = 300, IReadOnlyList<int>? lags = null, int seed = 42)
    {
        if (label.Kind == LabelKind.Return) throw new ArgumentException("the forecast tool gives P(up): use a direction or triple-barrier label");
        if (retrainEvery < 1) throw new ArgumentOutOfRangeException(nameof(retrainEvery), retrainEvery, "retrain at least every bar");
        if (minimumBars < 50) throw new ArgumentOutOfRangeException(nameof(minimumBars), minimumBars, "at least 50 bars of history before the first fit");
        Name = name;
        _create = create;
        Label = label;
        RetrainEvery = retrainEvery;
        MinimumBars = minimumBars;
        _lags = lags ?? [];
        Seed = seed;
    }

    public string Name { get; }
    public LabelSpec Label { get; }
    public int RetrainEvery { get; }
    public int MinimumBars { get; }
    public int Seed { get; }

    /// <summary>Every fit so far: (symbol, decision bar index, last training label's end index, decision bar open time, last label's close time).</summary>
    public List<(string Symbol, int DecisionRow, int MaxLabelEnd, DateTimeOffset DecisionBarOpen, DateTimeOffset TrainedThrough)> Fits { get; } = [];

    public void Observe(string symbol, in Bar bar)
    {
        if (!_symbols.TryGetValue(symbol, out var state)) _symbols[symbol] = state = new SymbolState(new ForecastFeatures(_lags));
        state.Bars.Add(bar);
        state.Rows.Add(state.Features.Next(bar));
        var newest = state.Bars.Count - 1;
        if (state.Bars.Count >= MinimumBars && (state.Model is null || newest - state.FittedAt >= RetrainEvery)) Refit(symbol, state, newest);
    }

    private void Refit(string symbol, SymbolState state, int decision)
    {
        var labels = Label.Build(state.Bars.Select(b => b.Close).ToArray());
        var values = new double[state.Bars.Count];
        Array.Fill(values, double.NaN);
        var maxEnd = -1;
        var count = 0;
        for (var t = 0; t < decision; t++)
            if (labels.Ends[t] >= 0 && labels.Ends[t] < decision && double.IsFinite(labels.Values[t]))
            {
                values[t] = labels.Values[t];
                maxEnd = Math.Max(maxEnd, labels.Ends[t]);
                count++;
            }
        var data = new ForecastDataset(state.Features.Names, state.Rows, values);
        var model = _create(state.Features.Names);
        if (data.UsableSamples(model.Lookback).Length < 50) return; // wait for more resolved labels
        model.Fit(data, new FitOptions { PurgeGap = Label.Horizon, Seed = Seed });
        (state.Model as IDisposable)?.Dispose();
        state.Model = model;
        state.FittedAt = decision;
        state.TrainingSamples = count;
        state.TrainedThrough = state.Bars[maxEnd].CloseTime;
        Fits.Add((symbol, decision, maxEnd, state.Bars[decision].Time, state.TrainedThrough));
    }

    public ToolForecast? Forecast(string symbol)
    {
        if (!_symbols.TryGetValue(symbol, out var state) || state.Model is null) return null;
        var newest = state.Bars.Count - 1;
        if (newest < state.Model.Lookback - 1) return null;
        var p = state.Model.Predict(state.Rows, newest).Value;
        return new ToolForecast(p, state.TrainingSamples, state.TrainedThrough, state.Bars[state.FittedAt].CloseTime);
    }

    private sealed class SymbolState(ForecastFeatures features)
    {
        public ForecastFeatures Features { get; } = features;
        public List<Bar> Bars { get; } = [];
        public List<double[]> Rows { get; } = [];
        public IForecaster? Model { get; set; }
        public int FittedAt { get; set; } = -1;
        public int TrainingSamples { get; set; }
        public DateTimeOffset TrainedThrough { get; set; }
    }
}

/// <summary>Makes a fresh <see cref="WalkForwardForecastTool"/> per analyst.</summary>
public sealed class WalkForwardForecastToolFactory(Func<IForecastTool> create) : IForecastToolFactory
{
    public IForecastTool Create() => create();
}
