namespace AgentFirm.Models.Forecasting;

/// <summary>Out-of-sample forecasts for decision rows, each made by a model trained only on labels resolved before it.</summary>
public sealed record WalkForwardResult(int[] Rows, Forecast[] Forecasts, int Refits, int MaxTrainingLabelEnd);

/// <summary>
/// Walk-forward forecasting with periodic retraining: starting at <see cref="Start"/>, the model is refitted every
/// <see cref="RetrainEvery"/> rows on the rows whose labels resolved strictly before the refit row (an expanding
/// window, or the last <see cref="Window"/> rows when set), then forecasts each row until the next refit.
/// Because a label resolves at its window's end, no training label ever looks at a bar at or after a decision.
/// </summary>
public sealed record WalkForward(int Start, int RetrainEvery, int? Window = null)
{
    public WalkForwardResult Run(SupervisedData data, Func<IForecaster> create, FitOptions options, int? end = null, Action<int, int>? onRefit = null)
    {
        if (RetrainEvery < 1) throw new ArgumentOutOfRangeException(nameof(RetrainEvery), RetrainEvery, "retrain at least every bar");
        var last = Math.Min(end ?? data.Count, data.Count);
        var rows = new List<int>();
        var forecasts = new List<Forecast>();
        var refits = 0;
        var maxEnd = -1;
        var blocks = (last - Start + RetrainEvery - 1) / RetrainEvery;
        for (var refit = Start; refit < last; refit += RetrainEvery)
        {
            var first = Window is { } w ? refit - w : 0;
            var train = data.ResolvedBefore(refit, first).ToArray();
            var model = create();
            if (data.Dataset(train).UsableSamples(model.Lookback).Length < 50) continue; // too little history yet
            model.Fit(data.Dataset(train), options);
            refits++;
            foreach (var t in train) maxEnd = Math.Max(maxEnd, data.Labels.Ends[t]);
            var until = Math.Min(refit + RetrainEvery, last);
            var decisions = Enumerable.Range(refit, until - refit).Where(t => t >= model.Lookback - 1 && data.Features.Rows[t].All(double.IsFinite)).ToArray();
            rows.AddRange(decisions);
            forecasts.AddRange(model.PredictBatch(data.Features.Rows, decisions));
            (model as IDisposable)?.Dispose();
            onRefit?.Invoke(refits, blocks);
        }
        return new WalkForwardResult(rows.ToArray(), forecasts.ToArray(), refits, maxEnd);
    }
}
