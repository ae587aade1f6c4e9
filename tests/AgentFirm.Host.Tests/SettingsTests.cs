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
}
