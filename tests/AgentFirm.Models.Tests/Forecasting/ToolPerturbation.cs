using System.Globalization;
using System.Text;
using AgentFirm.Core;
using AgentFirm.Models.Forecasting;
using AgentFirm.Models.Forecasting.Selection;
using AgentFirm.Quant.Analysis;
using AgentFirm.TestSupport;

namespace AgentFirm.Models.Tests.Forecasting;

/// <summary>
/// Wraps the model a forecast tool makes and records, at each fit, what the tool handed over (the labelled rows,
/// their labels and features, bit for bit) and the fitted model as it saves itself. Lets a test check what the
/// tool trained on from the outside, instead of reading the tool's own bookkeeping.
/// </summary>
internal sealed class RecordingForecaster(IForecaster inner) : IForecaster, IDisposable
{
    public IForecaster Inner => inner;

    /// <summary>Row count of the dataset at the fit: the decision row is the last one.</summary>
    public int RowsAtFit { get; private set; } = -1;
    public int[] Labelled { get; private set; } = [];
    public string Handed { get; private set; } = "";
    public string ModelAtFit { get; private set; } = "";

    public string Kind => inner.Kind;
    public ForecastTask Task => inner.Task;
    public int Lookback => inner.Lookback;
    public IReadOnlyList<string> FeatureNames => inner.FeatureNames;
    public bool IsFitted => inner.IsFitted;

    public FitReport Fit(ForecastDataset data, FitOptions options)
    {
        RowsAtFit = data.Count;
        Labelled = Enumerable.Range(0, data.Count).Where(i => double.IsFinite(data.Labels[i])).ToArray();
        var sb = new StringBuilder();
        foreach (var i in Labelled)
            sb.Append(i).Append(':').Append(Bits.Of(data.Labels[i])).Append(' ').AppendJoin(',', data.Rows[i].Select(Bits.Of)).Append('\n');
        Handed = sb.ToString();
        var report = inner.Fit(data, options);
        ModelAtFit = Snapshot();
        return report;
    }

    /// <summary>The model's saved files (and, for a selecting model, every selection decision in bits) as one string.</summary>
    public string Snapshot()
    {
        using var dir = new TempFolder();
        inner.Save(dir.Path);
        var sb = new StringBuilder();
        foreach (var file in Directory.GetFiles(dir.Path).Order(StringComparer.Ordinal))
            sb.Append(Path.GetFileName(file)).Append('\n').Append(File.ReadAllText(file)).Append('\n');
        if (inner is SelectedFeaturesForecaster { Selection: { } s })
        {
            sb.Append(s.Method).Append(' ').Append(s.TrainSamples).Append(' ').AppendJoin(',', s.Indices).Append('\n');
            foreach (var d in s.Decisions) sb.Append($"{d.Feature} {d.Selected} {d.Status} {Bits.Of(d.Statistic)} {Bits.Of(d.PValue)} {d.Detail}\n");
        }
        return sb.ToString();
    }

    public Forecast Predict(IReadOnlyList<double[]> rows, int index) => inner.Predict(rows, index);
    public Forecast[] PredictBatch(IReadOnlyList<double[]> rows, IReadOnlyList<int> indices) => inner.PredictBatch(rows, indices);
    public IReadOnlyList<FeatureImportance> FeatureImportance() => inner.FeatureImportance();
    public void Save(string directory) => inner.Save(directory);
    public void Dispose() => (inner as IDisposable)?.Dispose();
}

internal static class Bits
{
    public static string Of(double x) => BitConverter.DoubleToInt64Bits(x).ToString("X16", CultureInfo.InvariantCulture);
}

/// <summary>
/// One pass of a technical analyst with a forecast tool over a bar series, as the firm runs it (update, then view
/// at the bar's close): per bar the analyst's view and the tool's forecast in bits, and every fitted model in order.
/// </summary>
internal sealed class ToolPass
{
    public required string[] Views { get; init; }
    public required string[] Forecasts { get; init; }
    public required RecordingForecaster[] Fitted { get; init; }

    public RecordingForecaster FitAt(int decisionRow) => Fitted.Single(f => f.RowsAtFit - 1 == decisionRow);

    public static ToolPass Run(Func<Func<IReadOnlyList<string>, IForecaster>, IForecastTool> makeTool, Func<IReadOnlyList<string>, IForecaster> create, Bar[] bars)
    {
        var made = new List<RecordingForecaster>();
        var tool = makeTool(names =>
        {
            var m = new RecordingForecaster(create(names));
            made.Add(m);
            return m;
        });
        var analyst = new TechnicalAnalyst(24, tool);
        var views = new string[bars.Length];
        var forecasts = new string[bars.Length];
        for (var t = 0; t < bars.Length; t++)
        {
            analyst.Update("BTC-USDT", bars[t]);
            var v = analyst.View("BTC-USDT", bars[t].CloseTime);
            views[t] = $"{Bits.Of(v.Direction)} {Bits.Of(v.Confidence)} " + string.Join(";", v.Evidence.Select(e => $"{e.Name}={Bits.Of(e.Value)} {e.Note}"));
            forecasts[t] = tool.Forecast("BTC-USDT") is { } f
                ? $"{Bits.Of(f.ProbabilityUp)} n{f.TrainingSamples} {f.TrainedThrough:O} {f.FittedAt:O}"
                : "none";
        }
        return new ToolPass { Views = views, Forecasts = forecasts, Fitted = made.Where(m => m.RowsAtFit > 0).ToArray() };
    }

    /// <summary>
    /// The bars with every bar from <paramref name="from"/> on replaced: a fresh walk at three times the volatility
    /// whose first close lands on the other side of the close <paramref name="horizon"/> bars back, so a direction
    /// label ending at <paramref name="from"/> flips, as do most labels resolving later.
    /// </summary>
    public static Bar[] ChangedFrom(Bar[] bars, int from, int horizon, int seed)
    {
        var rng = new Random(seed);
        var changed = (Bar[])bars.Clone();
        var reference = bars[from - horizon].Close;
        var price = bars[from].Close > reference ? reference * 0.97 : reference * 1.03;
        for (var i = from; i < bars.Length; i++)
        {
            var open = changed[i - 1].Close;
            if (i > from) price *= Math.Exp(0.03 * PlantedData.Gaussian(rng));
            changed[i] = bars[i] with { Open = open, High = Math.Max(open, price) * 1.002, Low = Math.Min(open, price) * 0.998, Close = price, Volume = 1000 + rng.Next(500) };
        }
        return changed;
    }
}
