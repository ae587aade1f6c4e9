using AgentFirm.Models.Forecasting;
using AgentFirm.Models.Forecasting.Selection;
using AgentFirm.Quant.Analysis;
using AgentFirm.TestSupport;

namespace AgentFirm.Models.Tests.Forecasting.Selection;

public class SelectedFeaturesForecasterTests
{
    [Fact]
    public void Fits_on_the_selected_columns_and_forecasts_from_full_rows()
    {
        var (data, returns) = SelectionData.Make(1200, informative: 1, noise: 12, ForecastTask.Classification, seed: 6, signal: 0.8);
        var selections = new List<FeatureSelectionReport>();
        var model = new SelectedFeaturesForecaster(new CausalParentSelector(returns, 1), data.FeatureNames,
            names => new LinearForecaster(ForecastTask.Classification, names), selections.Add);
        Assert.Equal("logistic", model.Kind);
        var auc = PlantedData.HeldOutAuc(model, data, 800);
        Assert.Single(selections);
        Assert.Contains("driver0", model.Selection!.Names);
        Assert.Equal(model.Selection.Names, model.Inner!.FeatureNames);
        Assert.True(auc > 0.65, $"AUC {auc}");

        using var dir = new TempFolder();
        model.Save(dir.Path);
        var csv = File.ReadAllLines(Path.Combine(dir.Path, SelectedFeaturesForecaster.SelectedFeaturesFile));
        Assert.Equal(FeatureSelectionReport.CsvHeader, csv[0]);
        Assert.Equal(data.FeatureNames.Count + 1, csv.Length);
    }

    [Fact]
    public void Selects_on_the_training_window_only()
    {
        // Labels past row 700 are hidden (NaN) as a walk-forward fold hides them; scrambling the hidden part changes nothing.
        var (data, returns) = SelectionData.Make(1000, informative: 2, noise: 10, ForecastTask.Regression, seed: 12, signal: 0.3);
        ForecastDataset Window(Func<int, double> label) => new(data.FeatureNames, data.Rows, Enumerable.Range(0, data.Count).Select(i => i < 700 ? label(i) : double.NaN).ToArray());
        var returnsScrambled = returns.Select((r, i) => i < 700 ? r : -r * 3).ToArray();
        var a = new SelectedFeaturesForecaster(new CausalParentSelector(returns, 1), data.FeatureNames, n => new LinearForecaster(ForecastTask.Regression, n));
        var b = new SelectedFeaturesForecaster(new CausalParentSelector(returnsScrambled, 1), data.FeatureNames, n => new LinearForecaster(ForecastTask.Regression, n));
        a.Fit(Window(i => data.Labels[i]), new FitOptions());
        b.Fit(Window(i => data.Labels[i]), new FitOptions());
        Assert.Equal(a.Selection!.Decisions, b.Selection!.Decisions);
        Assert.Equal(560, a.Selection.TrainSamples); // 700 labelled, the last 20% held out for the inner model's validation
    }
}

public class SelectingToolTests
{
    [Theory]
    [InlineData("causal")]
    [InlineData("boruta")]
    public void The_analysts_forecast_tool_selects_on_each_refit_from_resolved_labels_only(string method)
    {
        var made = new List<SelectedFeaturesForecaster>();
        var selection = new FeatureSelection { Method = FeatureSelection.ParseMethod(method), Boruta = new BorutaOptions { MaxIterations = 5, Trees = 20 } };
        var factory = FeatureSelectors.Factory(selection, ForecastTask.Classification, 6, names => new LinearForecaster(ForecastTask.Classification, names));
        var tool = new AgentFirm.Models.Forecasting.WalkForwardForecastTool("logistic", names =>
        {
            var m = (SelectedFeaturesForecaster)factory(names);
            made.Add(m);
            return m;
        }, AgentFirm.Quant.Labels.LabelSpec.Parse("direction:6"), retrainEvery: 100, minimumBars: 250);
        foreach (var bar in ValidationTests.Walk(500, 5)) tool.Observe("BTC-USDT", bar);

        var p = tool.Forecast("BTC-USDT");
        Assert.NotNull(p);
        Assert.InRange(p!.Value.ProbabilityUp, 0, 1);
        var fitted = made.Where(m => m.Selection is not null).ToArray();
        Assert.Equal(tool.Fits.Count, fitted.Length);
        for (var i = 0; i < fitted.Length; i++)
        {
            Assert.NotEmpty(fitted[i].Selection!.Names);
            // fewer samples than resolved labels: the inner model's validation tail stays out of the selection
            Assert.True(fitted[i].Selection!.TrainSamples < tool.Fits[i].DecisionRow);
        }
        Assert.Equal(method, fitted[0].Selection!.Method);
    }

    [Theory]
    [InlineData("causal")]
    [InlineData("boruta")]
    public void Changing_every_bar_from_a_refit_on_leaves_that_selection_its_model_and_earlier_forecasts_bit_for_bit_unchanged(string method)
    {
        // Rather than trust the tool's Fits list: rewrite every bar from a refit's decision bar on (so every label
        // resolving from then on changes) and require the same handed-over rows, selection and model at that refit.
        var selection = new FeatureSelection { Method = FeatureSelection.ParseMethod(method), Boruta = new BorutaOptions { MaxIterations = 5, Trees = 20 } };
        var create = FeatureSelectors.Factory(selection, ForecastTask.Classification, 6, names => new LinearForecaster(ForecastTask.Classification, names));
        IForecastTool Make(Func<IReadOnlyList<string>, IForecaster> c) =>
            new WalkForwardForecastTool("logistic", c, AgentFirm.Quant.Labels.LabelSpec.Parse("direction:6"), retrainEvery: 100, minimumBars: 250);
        var bars = ValidationTests.Walk(500, 5);
        var real = ToolPass.Run(Make, create, bars);
        Assert.Equal(3, real.Fitted.Length);
        foreach (var fit in real.Fitted)
        {
            var d = fit.RowsAtFit - 1;
            var selected = Assert.IsType<SelectedFeaturesForecaster>(fit.Inner).Selection!;
            Assert.NotEmpty(selected.Names);
            Assert.True(fit.Labelled[^1] + 6 < d, $"row {fit.Labelled[^1]} labelled at decision {d}");
            Assert.True(selected.TrainSamples < fit.Labelled.Length); // the inner model's validation tail stays out of the selection

            var seen = ToolPass.Run(Make, create, ToolPass.ChangedFrom(bars, d, horizon: 6, seed: d));
            Assert.Equal(fit.Handed, seen.FitAt(d).Handed);
            Assert.Equal(fit.ModelAtFit, seen.FitAt(d).ModelAtFit); // selected_features.csv, every decision in bits, the inner model
            Assert.Equal(real.Forecasts[..d], seen.Forecasts[..d]);
            Assert.NotEqual(real.Forecasts[d], seen.Forecasts[d]);
        }
    }
}
