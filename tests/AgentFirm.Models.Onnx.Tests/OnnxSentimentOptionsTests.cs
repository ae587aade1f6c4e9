using AgentFirm.Core;
using AgentFirm.Models.Sentiment.Onnx;
using Microsoft.Extensions.Configuration;

namespace AgentFirm.Models.Onnx.Tests;

public sealed class OnnxSentimentOptionsTests
{
    [Fact]
    public void Binds_from_the_configuration_section()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AgentFirm:Sentiment:Model"] = "onnx:/models/finbert", // read by whoever picks the scorer; ignored here
            ["AgentFirm:Sentiment:ExecutionProvider"] = "cuda",
            ["AgentFirm:Sentiment:IntraOpThreads"] = "2",
            ["AgentFirm:Sentiment:MaxTokens"] = "64",
            ["AgentFirm:Sentiment:BatchSize"] = "16",
        }).Build();
        var options = new OnnxSentimentOptions();
        configuration.GetSection(OnnxSentimentOptions.Section).Bind(options);
        Assert.Equal("cuda", options.ExecutionProvider);
        Assert.Equal(2, options.IntraOpThreads);
        Assert.Equal(64, options.MaxTokens);
        Assert.Equal(16, options.BatchSize);
        options.Validate();
    }

    [Theory]
    [InlineData("ExecutionProvider", "tpu")]
    [InlineData("IntraOpThreads", "-1")]
    [InlineData("MaxTokens", "2")]
    [InlineData("BatchSize", "0")]
    public void Validation_names_the_bad_key(string key, string value)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [$"AgentFirm:Sentiment:{key}"] = value }).Build();
        var options = configuration.GetSection(OnnxSentimentOptions.Section).Get<OnnxSentimentOptions>()!;
        var e = Assert.Throws<BadInputException>(options.Validate);
        Assert.Contains($"AgentFirm:Sentiment:{key}", e.Message);
    }
}
