namespace AgentFirm.Llm.Tests;

public sealed class PromptLibraryTests
{
    [Fact]
    public async Task Shipped_meta_controller_prompt_fills_every_placeholder()
    {
        var template = await new PromptLibrary(Samples.PromptsFolder).LoadAsync("meta-controller", "baseline", CancellationToken.None);
        var rendered = template.Render(MetaControllerPrompt.Values(Samples.Request(), PromptAnonymiser.For(Samples.Request(), false), 20));

        Assert.DoesNotContain("{{", rendered.System + rendered.User, StringComparison.Ordinal);
        Assert.Contains("untrusted", rendered.System, StringComparison.Ordinal);
        Assert.Contains("\"targets\"", rendered.System, StringComparison.Ordinal);
        Assert.Contains("Symbols to answer for: BTCUSDT, ETHUSDT", rendered.User, StringComparison.Ordinal);
        Assert.Matches("^[0-9a-f]{12}$", template.Hash);
        Assert.Equal($"meta-controller/baseline@{template.Hash}", template.Version);
        Assert.Equal(PromptOutput.Targets, template.Settings.Output);
        Assert.Equal("deep", template.Settings.Tier);
    }

    [Fact]
    public async Task Values_are_filled_once_and_never_expanded_again()
    {
        using var folder = new TempFolder();
        Write(folder, "role", "v1", Front + "<!-- system -->\nsys {{a}}\n<!-- user -->\nuser {{b}}");
        var template = await new PromptLibrary(folder.Path).LoadAsync("role", "v1", CancellationToken.None);

        var rendered = template.Render(new Dictionary<string, string> { ["a"] = "{{b}}", ["b"] = "B" });

        Assert.Equal(new RenderedPrompt("sys {{b}}", "user B"), rendered);
    }

    [Fact]
    public async Task Missing_value_or_markers_fail_with_the_file_name()
    {
        using var folder = new TempFolder();
        Write(folder, "role", "v1", Front + "<!-- system -->\nsys {{a}}\n<!-- user -->\nuser");
        Write(folder, "role", "flat", Front + "just text");
        var library = new PromptLibrary(folder.Path);
        var template = await library.LoadAsync("role", "v1", CancellationToken.None);

        var missing = Assert.Throws<PromptTemplateException>(() => template.Render(new Dictionary<string, string>()));
        Assert.Contains(Path.Combine("role", "v1.md"), missing.Message, StringComparison.Ordinal);
        Assert.Contains("{{a}}", missing.Message, StringComparison.Ordinal);
        var flat = await Assert.ThrowsAsync<PromptTemplateException>(() => library.LoadAsync("role", "flat", CancellationToken.None));
        Assert.Contains("flat.md", flat.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<PromptTemplateException>(() => library.LoadAsync("..", "secrets", CancellationToken.None));
        await Assert.ThrowsAsync<PromptTemplateException>(() => library.LoadAsync("role", "../v1", CancellationToken.None));
    }

    private const string Front = "---\ndescription: a test variant\noutput: agent-view\n---\n";

    private static void Write(TempFolder folder, string role, string variant, string text)
    {
        Directory.CreateDirectory(folder.File(role));
        File.WriteAllText(folder.File(Path.Combine(role, variant + ".md")), text);
    }

    [Theory]
    [InlineData("<!-- system -->\ns\n<!-- user -->\nu", "starts with front matter")]
    [InlineData("---\noutput: targets\n---\n<!-- system -->\ns\n<!-- user -->\nu", "needs a description")]
    [InlineData("---\ndescription: d\nmodel: gpt\n---\n<!-- system -->\ns\n<!-- user -->\nu", "'model: gpt' is not one of")]
    [InlineData("---\ndescription: d\ntier: huge\n---\n<!-- system -->\ns\n<!-- user -->\nu", "tier 'huge' is not quick or deep")]
    [InlineData("---\ndescription: d\ntemperature: 3\n---\n<!-- system -->\ns\n<!-- user -->\nu", "temperature '3'")]
    [InlineData("---\ndescription: d\noutput: prose\n---\n<!-- system -->\ns\n<!-- user -->\nu", "output 'prose'")]
    [InlineData("---\ndescription: d\n<!-- system -->\ns\n<!-- user -->\nu", "no closing '---'")]
    public async Task Bad_front_matter_fails_naming_the_file_and_the_problem(string text, string problem)
    {
        using var folder = new TempFolder();
        Write(folder, "role", "v", text);

        var error = await Assert.ThrowsAsync<PromptTemplateException>(() => new PromptLibrary(folder.Path).LoadAsync("role", "v", CancellationToken.None));

        Assert.Contains(Path.Combine("role", "v.md"), error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Front_matter_model_settings_are_read_and_the_version_follows_the_content()
    {
        using var folder = new TempFolder();
        Write(folder, "technical", "warm", "---\ndescription: d\ntier: deep\ntemperature: 0.7\nmax_tokens: 300\noutput: agent-view\n---\n<!-- system -->\ns\n<!-- user -->\nu");
        var library = new PromptLibrary(folder.Path);

        var first = await library.LoadAsync("technical", "warm", CancellationToken.None);
        File.AppendAllText(folder.File(Path.Combine("technical", "warm.md")), " more");
        var edited = await library.LoadAsync("technical", "warm", CancellationToken.None);

        Assert.Equal(new PromptSettings("d", "deep", 0.7, 300, PromptOutput.AgentView), first.Settings);
        Assert.StartsWith("technical/warm@", first.Version, StringComparison.Ordinal);
        Assert.NotEqual(first.Version, edited.Version);
        Assert.Equal(["technical"], library.Roles());
        Assert.Equal(["warm"], library.Variants("technical"));
    }

    [Fact]
    public void Every_shipped_prompt_parses_and_answers_the_schema_its_role_needs()
    {
        var library = new PromptLibrary(Samples.PromptsFolder);

        foreach (var role in MindRoles.All.Where(r => r != MindRoles.Strategic))
        {
            var template = library.Load(role, "baseline");
            Assert.Equal(role switch { MindRoles.MetaController => PromptOutput.Targets, MindRoles.Bull or MindRoles.Bear => PromptOutput.Argument, _ => PromptOutput.AgentView },
                template.Settings.Output);
            Assert.DoesNotContain("{{", template.System, StringComparison.Ordinal); // nothing per step in the system part
        }
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
        var template = await new PromptLibrary(Samples.PromptsFolder).LoadAsync("meta-controller", "baseline", CancellationToken.None);
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
