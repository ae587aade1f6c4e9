using AgentFirm.Dashboard.Components.Firm;
using AgentFirm.Dashboard.Model;
using Bunit;

namespace AgentFirm.Dashboard.Tests;

/// <summary>The firm summary shows the LLM mind's counts, and its warning when it fell back on most steps.</summary>
public sealed class MindStatusTests : MudTestContext
{
    [Fact]
    public void Firm_summary_shows_the_minds_fallback_counts_when_a_model_mind_runs()
    {
        const string line = "LLM mind: 40 calls, 37 answered (2 bounded by MaxDeviation), 3 fell back to the quant decision (HttpError 3), 5 retries, 0 cache hits";
        var cut = ctx.Render<FirmSummary>(p => p.Add(c => c.Snapshot, FirmSnapshot.Empty with { Mind = line }));

        Assert.Equal(line, cut.Find("[data-testid=mind-status]").TextContent.Trim());
    }

    [Fact]
    public void Firm_summary_shows_no_mind_line_for_the_offline_mind()
    {
        var cut = ctx.Render<FirmSummary>(p => p.Add(c => c.Snapshot, FirmSnapshot.Empty));

        Assert.Empty(cut.FindAll("[data-testid=mind-status]"));
    }
}
