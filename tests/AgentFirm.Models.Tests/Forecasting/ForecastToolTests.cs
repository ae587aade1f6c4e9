using AgentFirm.Core;
using AgentFirm.Models.Forecasting;
using AgentFirm.Quant.Analysis;
using AgentFirm.Quant.Labels;

namespace AgentFirm.Models.Tests.Forecasting;

public class ForecastFeaturesTests
{
    [Fact]
    public void Appending_future_bars_never_changes_a_past_row()
    {
        var bars = ValidationTests.Walk(400, 3);
        var early = ForecastFeatures.Build(bars[..250], [1, 5]);
        var full = ForecastFeatures.Build(bars, [1, 5]);
        Assert.Equal(60, full.Names.Count);
        for (var t = 0; t < 250; t++) Assert.Equal(early.Rows[t], full.Rows[t]);
        Assert.All(full.Rows[60..], row => Assert.All(row, x => Assert.True(double.IsFinite(x))));
    }

    [Fact]
    public void The_all_set_adds_184_past_only_z_scored_columns_that_future_bars_never_change()
    {
        var bars = ValidationTests.Walk(700, 4);
        var early = ForecastFeatures.BuildWithAllSet(bars[..450], zScoreWindow: 100);
        var full = ForecastFeatures.BuildWithAllSet(bars, zScoreWindow: 100);
        Assert.Equal(20 + 184, full.Names.Count);
        Assert.Equal("z_sma20", full.Names[20]);
        for (var t = 0; t < 450; t++) Assert.Equal(early.Rows[t], full.Rows[t]);
        // Every column scored once the slowest (60-bar) feature has 100 values of history behind it.
        Assert.All(full.Rows[200..], row => Assert.All(row, x => Assert.True(double.IsFinite(x))));
        // z_sma20 at t is sma20 at t against the 100 rows before t (sample sd), computed here independently.
        var sma = new double[bars.Length];
        for (var t = 19; t < bars.Length; t++)
        {
            for (var k = t - 19; k <= t; k++) sma[t] += bars[k].Close;
            sma[t] /= 20;
        }
        var past = sma[300..400];
        var mean = past.Average();
        var sd = Math.Sqrt(past.Sum(x => (x - mean) * (x - mean)) / (past.Length - 1));
        Assert.Equal((sma[400] - mean) / sd, full.Rows[400][20], 6);
    }

    [Fact]
    public void Lags_and_returns_are_the_values_and_log_returns_of_earlier_bars()
    {
        var bars = ValidationTests.Walk(120, 4);
        var m = ForecastFeatures.Build(bars, [3]);
        var ret4 = m.Names.ToList().IndexOf("ret4");
        var rsiLag = m.Names.ToList().IndexOf("rsi14_lag3");
        var rsi = m.Names.ToList().IndexOf("rsi14");
        Assert.Equal(Math.Log(bars[100].Close / bars[96].Close), m.Rows[100][ret4], 12);
        Assert.Equal(m.Rows[97][rsi], m.Rows[100][rsiLag]);
    }
}

public class ForecastToolTests
{
    private static WalkForwardForecastTool Tool() =>
        new("logistic", names => new LinearForecaster(ForecastTask.Classification, names), LabelSpec.Parse("direction:6"), retrainEvery: 50, minimumBars: 200);

    [Fact]
    public void Technical_analyst_retrains_on_past_labels_only_and_adds_the_forecast_as_evidence()
    {
        var bars = ValidationTests.Walk(600, 5);
        var tool = Tool();
        var analyst = new TechnicalAnalyst(24, tool);
        var withForecast = 0;
        foreach (var bar in bars)
        {
            analyst.Update("BTC-USDT", bar);
            var view = analyst.View("BTC-USDT", bar.CloseTime);
            var evidence = view.Evidence.FirstOrDefault(e => e.Name == "forecast_p_up");
            if (evidence is null) continue;
            withForecast++;
            Assert.InRange(evidence.Value, 0, 1);
        }
        Assert.True(tool.Fits.Count >= 7, $"{tool.Fits.Count} fits");
        Assert.True(withForecast >= 600 - 200 - 1);
        foreach (var fit in tool.Fits)
        {
            // The no-lookahead property: the training set's last label ends before the decision bar.
            Assert.True(fit.MaxLabelEnd < fit.DecisionRow);
            Assert.True(fit.TrainedThrough <= fit.DecisionBarOpen);
            Assert.True(fit.TrainedThrough < bars[fit.DecisionRow].CloseTime);
        }
    }

    [Fact]
    public void Changing_every_bar_from_a_decision_bar_on_leaves_that_fit_and_every_earlier_forecast_bit_for_bit_unchanged()
    {
        // The tool's contract: the fit at decision row d uses only labels resolved before bar d opened, and a forecast
        // at bar t reads nothing after t. Checked from outside: rewrite every bar from d on (every label resolving at
        // or after d changes with it) and compare what the tool handed the model, the fitted model and the forecasts.
        var bars = ValidationTests.Walk(600, 5);
        IForecastTool Make(Func<IReadOnlyList<string>, IForecaster> create) =>
            new WalkForwardForecastTool("logistic", create, LabelSpec.Parse("direction:6"), retrainEvery: 50, minimumBars: 200);
        IForecaster Logistic(IReadOnlyList<string> names) => new LinearForecaster(ForecastTask.Classification, names);
        var real = ToolPass.Run(Make, Logistic, bars);
        Assert.True(real.Fitted.Length >= 7, $"{real.Fitted.Length} fits");
        foreach (var fit in real.Fitted)
        {
            var d = fit.RowsAtFit - 1;
            // Independent of the tool's Fits list: the newest labelled row handed over ends (row + 6) before d.
            Assert.True(fit.Labelled[^1] + 6 < d, $"row {fit.Labelled[^1]} labelled at decision {d}");
            Assert.Equal(fit.ModelAtFit, fit.Snapshot()); // and nothing the tool saw later changed the model

            var seen = ToolPass.Run(Make, Logistic, ToolPass.ChangedFrom(bars, d, horizon: 6, seed: d));
            Assert.Equal(fit.Handed, seen.FitAt(d).Handed);
            Assert.Equal(fit.ModelAtFit, seen.FitAt(d).ModelAtFit);
            Assert.Equal(real.Forecasts[..d], seen.Forecasts[..d]);
            Assert.Equal(real.Views[..d], seen.Views[..d]);
            Assert.NotEqual(real.Forecasts[d], seen.Forecasts[d]); // not vacuous: the rewrite reaches the forecast at d
        }
    }

    [Fact]
    public void Without_a_tool_the_analyst_is_unchanged()
    {
        var bars = ValidationTests.Walk(300, 6);
        var plain = new TechnicalAnalyst();
        var explicitNull = new TechnicalAnalyst(24, forecaster: null);
        foreach (var bar in bars)
        {
            plain.Update("ETH-USDT", bar);
            explicitNull.Update("ETH-USDT", bar);
            var a = plain.View("ETH-USDT", bar.CloseTime);
            var b = explicitNull.View("ETH-USDT", bar.CloseTime);
            Assert.Equal(a.Direction, b.Direction);
            Assert.DoesNotContain(a.Evidence, e => e.Name == "forecast_p_up");
        }
    }

    [Fact]
    public void A_tool_trained_past_the_decision_time_is_refused()
    {
        var bars = ValidationTests.Walk(100, 7);
        var analyst = new TechnicalAnalyst(24, new CheatingTool());
        foreach (var bar in bars) analyst.Update("BTC-USDT", bar);
        Assert.Throws<LookaheadException>(() => analyst.View("BTC-USDT", bars[^1].CloseTime));
    }

    [Fact]
    public void Direction_blends_in_the_tool_with_its_weight()
    {
        var bars = ValidationTests.Walk(100, 8);
        var plain = new TechnicalAnalyst();
        var bullish = new TechnicalAnalyst(24, new FixedTool(1.0), forecastWeight: 0.5);
        foreach (var bar in bars) { plain.Update("X-USDT", bar); bullish.Update("X-USDT", bar); }
        var asOf = bars[^1].CloseTime;
        Assert.Equal(0.5 * plain.View("X-USDT", asOf).Direction + 0.5, bullish.View("X-USDT", asOf).Direction, 12);
    }

    private sealed class CheatingTool : IForecastTool
    {
        private DateTimeOffset _last;
        public string Name => "cheat";
        public void Observe(string symbol, in Bar bar) => _last = bar.CloseTime;
        public ToolForecast? Forecast(string symbol) => new ToolForecast(0.9, 10, _last.AddHours(5), _last);
    }

    private sealed class FixedTool(double p) : IForecastTool
    {
        private DateTimeOffset _first;
        public string Name => "fixed";
        public void Observe(string symbol, in Bar bar) { if (_first == default) _first = bar.CloseTime; }
        public ToolForecast? Forecast(string symbol) => new ToolForecast(p, 1, _first, _first);
    }
}
