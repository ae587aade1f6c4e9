namespace AgentFirm.Llm.Tests;

public sealed class PromptLibraryTests
{
    [Fact]
    public async Task Shipped_meta_controller_prompt_fills_every_placeholder()
    {
        var template = await new PromptLibrary(Samples.PromptsFolder).LoadAsync("meta-controller", CancellationToken.None);
        var rendered = template.Render(MetaControllerPrompt.Values(Samples.Request(), PromptAnonymiser.For(Samples.Request(), false), 20));

        Assert.DoesNotContain("{{", rendered.System + rendered.User, StringComparison.Ordinal);
        Assert.Contains("untrusted", rendered.System, StringComparison.Ordinal);
        Assert.Contains("\"targets\"", rendered.System, StringComparison.Ordinal);
        Assert.Contains("Symbols to answer for: BTCUSDT, ETHUSDT", rendered.User, StringComparison.Ordinal);
        Assert.Matches("^[0-9a-f]{12}$", template.Version);
    }

    [Fact]
    public async Task Values_are_filled_once_and_never_expanded_again()
    {
        using var folder = new TempFolder();
        await File.WriteAllTextAsync(folder.File("role.md"), "<!-- system -->\nsys {{a}}\n<!-- user -->\nuser {{b}}");
        var template = await new PromptLibrary(folder.Path).LoadAsync("role", CancellationToken.None);

        var rendered = template.Render(new Dictionary<string, string> { ["a"] = "{{b}}", ["b"] = "B" });

        Assert.Equal(new RenderedPrompt("sys {{b}}", "user B"), rendered);
    }

    [Fact]
    public async Task Missing_value_or_markers_fail_with_the_file_name()
    {
        using var folder = new TempFolder();
        await File.WriteAllTextAsync(folder.File("role.md"), "<!-- system -->\nsys {{a}}\n<!-- user -->\nuser");
        await File.WriteAllTextAsync(folder.File("flat.md"), "just text");
        var library = new PromptLibrary(folder.Path);
        var template = await library.LoadAsync("role", CancellationToken.None);

        var missing = Assert.Throws<PromptTemplateException>(() => template.Render(new Dictionary<string, string>()));
        Assert.Contains("role.md", missing.Message, StringComparison.Ordinal);
        Assert.Contains("{{a}}", missing.Message, StringComparison.Ordinal);
        var flat = await Assert.ThrowsAsync<PromptTemplateException>(() => library.LoadAsync("flat", CancellationToken.None));
        Assert.Contains("flat.md", flat.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<PromptTemplateException>(() => library.LoadAsync("../secrets", CancellationToken.None));
    }

    [Fact]
    public void Headlines_after_the_decision_time_never_reach_the_prompt()
    {
        var request = Samples.Request(
            new AgentFirm.Core.Headline(Samples.DecisionTime.AddMinutes(-1), "known before", null, "wire"),
            new AgentFirm.Core.Headline(Samples.DecisionTime.AddMinutes(1), "from the future", null, "wire"));

        var headlines = MetaControllerPrompt.Values(request, PromptAnonymiser.For(request), 20)["headlines"];

        Assert.Contains("known before", headlines, StringComparison.Ordinal);
        Assert.DoesNotContain("future", headlines, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Per_step_firm_state_reaches_the_user_part_and_the_system_part_stays_byte_identical()
    {
        var template = await new PromptLibrary(Samples.PromptsFolder).LoadAsync("meta-controller", CancellationToken.None);
        var early = Samples.Request() with { Firm = new FirmState(
            new Dictionary<string, double> { ["technical"] = 0.4, ["sentiment"] = 0.35, ["onchain"] = 0.25 },
            new Dictionary<string, double> { ["BTCUSDT"] = 0.3 }, 0.052, 0.011, false) };
        var later = Samples.Request() with
        {
            DecisionTime = Samples.DecisionTime.AddDays(3),
            Firm = new FirmState(new Dictionary<string, double> { ["technical"] = 0.2 },
                new Dictionary<string, double> { ["ETHUSDT"] = -0.15 }, -0.08, 0.12, true, "daily loss limit hit"),
        };

        var first = template.Render(MetaControllerPrompt.Values(early, PromptAnonymiser.For(early), 20));
        var second = template.Render(MetaControllerPrompt.Values(later, PromptAnonymiser.For(later), 20));

        Assert.Equal(first.System, second.System); // static first: a provider's prompt cache can hit
        Assert.Contains("Analyst weights (the firm's trust in each analyst now): onchain 0.25, sentiment 0.35, technical 0.4", first.User, StringComparison.Ordinal);
        Assert.Contains("- ASSET_1: +30% of equity long\n- ASSET_2: 0% of equity (flat)", first.User, StringComparison.Ordinal);
        Assert.Contains("Profit and loss: +5.2% since the first decision; drawdown from the peak +1.1%", first.User, StringComparison.Ordinal);
        Assert.Contains("Risk state: trading allowed", first.User, StringComparison.Ordinal);
        Assert.Contains("- ASSET_2: -15% of equity short", second.User, StringComparison.Ordinal);
        Assert.Contains("Risk state: trading halted by the risk agent at the previous step (daily loss limit hit)", second.User, StringComparison.Ordinal);
    }
}
