using Microsoft.Extensions.Configuration;

namespace AgentFirm.Llm.Tests;

public sealed class LlmOptionsTests
{
    [Fact]
    public void Binds_the_AgentFirm_Llm_section_with_the_key_from_OPENAI_API_KEY()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AgentFirm:Llm:Mind"] = "OpenAI",
            ["AgentFirm:Llm:Endpoint"] = "http://127.0.0.1:11434/v1",
            ["AgentFirm:Llm:Model"] = "qwen2.5:7b",
            ["AgentFirm:Llm:Timeout"] = "00:00:05",
            ["AgentFirm:Llm:MaxDeviation"] = "0.3",
            ["AgentFirm:Llm:Anonymise"] = "false",
            ["OPENAI_API_KEY"] = "sk-from-env",
        }).Build();

        var options = LlmOptions.From(configuration);

        Assert.Equal(MindKind.OpenAI, options.Mind);
        Assert.Equal(new Uri("http://127.0.0.1:11434/v1"), options.Endpoint);
        Assert.Equal(("qwen2.5:7b", TimeSpan.FromSeconds(5), 0.3, false, 0.0), (options.Model, options.Timeout, options.MaxDeviation, options.Anonymise, options.Temperature));
        Assert.Equal("sk-from-env", options.ApiKey);
        Assert.DoesNotContain("sk-from-env", options.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Defaults_to_the_offline_mind()
    {
        var options = LlmOptions.From(new ConfigurationBuilder().Build());

        Assert.Equal(MindKind.Offline, options.Mind);
        Assert.Equal((0.25, 3), (options.MaxDeviation, options.MaxAttempts)); // a tilt of the quant decision, a few tries
        Assert.IsType<OfflineMind>(Minds.Create(options, new LogSink().Factory(), AppContext.BaseDirectory));
    }

    [Theory]
    [InlineData("AgentFirm:Llm:Endpoint", null, "AgentFirm:Llm:Endpoint")]
    [InlineData("AgentFirm:Llm:MaxDeviation", "3", "AgentFirm:Llm:MaxDeviation")]
    [InlineData("AgentFirm:Llm:Timeout", "00:00:00", "AgentFirm:Llm:Timeout")]
    [InlineData("AgentFirm:Llm:Temperature", "5", "AgentFirm:Llm:Temperature")]
    [InlineData("AgentFirm:Llm:MaxAttempts", "0", "AgentFirm:Llm:MaxAttempts")]
    [InlineData("AgentFirm:Llm:RetryDelay", "-00:00:01", "AgentFirm:Llm:RetryDelay")]
    public void Invalid_setting_fails_naming_the_key(string key, string? value, string named)
    {
        var values = new Dictionary<string, string?>
        {
            ["AgentFirm:Llm:Mind"] = "OpenAI",
            ["AgentFirm:Llm:Endpoint"] = "http://127.0.0.1:8000/v1",
            ["AgentFirm:Llm:Model"] = "m",
        };
        values[key] = value;

        var error = Assert.Throws<InvalidOperationException>(() =>
            LlmOptions.From(new ConfigurationBuilder().AddInMemoryCollection(values).Build()));

        Assert.StartsWith(named, error.Message, StringComparison.Ordinal);
    }
}
