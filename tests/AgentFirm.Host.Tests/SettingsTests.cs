using AgentFirm.Core;

namespace AgentFirm.Host.Tests;

public sealed class SettingsTests
{
    [Fact]
    public void Risk_limits_bind_from_configuration_onto_the_risk_engines_own_record()
    {
        var settings = AgentFirmSettings.Load([new("AgentFirm:Risk:MaxDrawdown", "0.1"), new("AgentFirm:Risk:StaleAfterBars", "5")]);

        Assert.Equal(0.1, settings.Risk.MaxDrawdown);
        Assert.Equal(5, settings.Risk.StaleAfterBars);
        Assert.Equal(0.02, settings.Risk.MaxRiskPerTrade); // untouched keys keep their defaults
    }

    [Fact]
    public void A_risk_limit_that_makes_no_sense_stops_start_up_naming_the_key()
    {
        var ex = Assert.Throws<BadInputException>(() => AgentFirmSettings.Load([new("AgentFirm:Risk:MaxDrawdown", "1.5")]));
        Assert.Contains("AgentFirm:Risk", ex.Message);
        Assert.Contains("MaxDrawdown", ex.Message);
    }

    [Fact]
    public void The_sentiment_model_and_options_bind_from_configuration()
    {
        var defaults = AgentFirmSettings.Load();
        Assert.Equal("lexicon", defaults.Sentiment.Model);
        var folder = Directory.CreateTempSubdirectory("agentfirm-model-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, "model.zip"), "");
            var settings = AgentFirmSettings.Load([new("AgentFirm:Sentiment:Model", $"trained:{folder}"), new("AgentFirm:Sentiment:VolumeFilter", "false"),
                new("AgentFirm:Sentiment:PublicFigures:0", "Vitalik")]);
            Assert.Equal($"trained:{folder}", settings.Sentiment.ModelSpec.ToString());
            Assert.False(settings.Sentiment.AnalystOptions.VolumeFilter);
            Assert.Equal(["Vitalik"], settings.Sentiment.PipelineOptions.PublicFigures);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void A_configured_model_that_is_not_there_stops_start_up()
    {
        var ex = Assert.Throws<BadInputException>(() => AgentFirmSettings.Load([new("AgentFirm:Sentiment:Model", "trained:/nonexistent/model")]));
        Assert.Contains("AgentFirm:Sentiment", ex.Message);
        Assert.Contains("model.zip", ex.Message);
        Assert.Throws<BadInputException>(() => AgentFirmSettings.Load([new("AgentFirm:Sentiment:Model", "onnx:/nonexistent/finbert")]));
    }

    [Fact]
    public void An_unknown_sentiment_model_stops_start_up_naming_the_key()
    {
        var ex = Assert.Throws<BadInputException>(() => AgentFirmSettings.Load([new("AgentFirm:Sentiment:Model", "gpt")]));
        Assert.Contains("AgentFirm:Sentiment", ex.Message);
    }

    [Fact]
    public void An_onnx_model_checks_the_runner_options_at_start_up()
    {
        var folder = Directory.CreateTempSubdirectory("agentfirm-onnx-").FullName;
        try
        {
            var ex = Assert.Throws<BadInputException>(() => AgentFirmSettings.Load([new("AgentFirm:Sentiment:Model", $"onnx:{folder}"), new("AgentFirm:Sentiment:ExecutionProvider", "tpu")]));
            Assert.Contains("AgentFirm:Sentiment:ExecutionProvider", ex.Message);
            Assert.Equal($"onnx:{folder}", AgentFirmSettings.Load([new("AgentFirm:Sentiment:Model", $"onnx:{folder}"), new("AgentFirm:Sentiment:ExecutionProvider", "cpu")]).Sentiment.Model);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void No_forecaster_is_configured_by_default()
    {
        var settings = AgentFirmSettings.Load();
        Assert.False(settings.Forecaster.Enabled);
        Assert.Null(settings.Forecaster.CreateFactory());
    }

    [Theory]
    [InlineData("Model", "xgboost", "Model")]
    [InlineData("Label", "return:24", "return label")]
    [InlineData("Label", "direction:0", "horizon")]
    [InlineData("RetrainEvery", "0", "RetrainEvery")]
    [InlineData("Device", "tpu", "Device")]
    [InlineData("Features", "pca", "Features")]
    public void A_forecaster_setting_that_makes_no_sense_stops_start_up_naming_the_key(string key, string value, string expected)
    {
        var overrides = new Dictionary<string, string?> { ["AgentFirm:Forecaster:Model"] = "ridge" };
        overrides[$"AgentFirm:Forecaster:{key}"] = value;
        var ex = Assert.Throws<BadInputException>(() => AgentFirmSettings.Load(overrides));
        Assert.Contains("AgentFirm:Forecaster", ex.Message);
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void A_configured_forecaster_reaches_the_technical_analyst_as_evidence_trained_on_the_past_only()
    {
        var settings = AgentFirmSettings.Load([new("AgentFirm:Forecaster:Model", "lightgbm"), new("AgentFirm:Forecaster:Label", "direction:6"),
            new("AgentFirm:Forecaster:RetrainEvery", "100"), new("AgentFirm:Forecaster:MinimumBars", "300"),
            new("AgentFirm:Forecaster:Features", "boruta")]);
        var tool = settings.Forecaster.CreateFactory()!.Create();
        var analyst = new AgentFirm.Quant.Analysis.TechnicalAnalyst(24, tool);
        var random = new Random(3);
        var price = 100.0;
        var start = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var cited = 0;
        for (var t = 0; t < 600; t++)
        {
            var close = price * Math.Exp(0.01 * (random.NextDouble() - 0.5));
            var bar = new Bar(start.AddHours(t), TimeSpan.FromHours(1), price, Math.Max(price, close) * 1.001, Math.Min(price, close) * 0.999, close, 10 + random.NextDouble());
            price = close;
            analyst.Update("BTC-USDT", bar);
            var forecast = analyst.View("BTC-USDT", bar.CloseTime).Evidence.FirstOrDefault(e => e.Name == "forecast_p_up");
            if (forecast is null) continue;
            cited++;
            Assert.InRange(forecast.Value, 0, 1);
            Assert.Contains("lightgbm", forecast.Note);
        }
        Assert.InRange(cited, 250, 301); // from the first fit at bar 300 on
    }
}
