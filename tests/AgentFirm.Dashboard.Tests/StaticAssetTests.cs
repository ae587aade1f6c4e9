using System.Net;

namespace AgentFirm.Dashboard.Tests;

/// <summary>Without a browser: the page, MudBlazor's files and the Blazor script all resolve in the test host.</summary>
[Collection(DashboardCollection.Name)]
public sealed class StaticAssetTests(DashboardHost host)
{
    [Theory]
    [InlineData("_content/MudBlazor/MudBlazor.min.css")]
    [InlineData("_content/MudBlazor/MudBlazor.min.js")]
    [InlineData("_content/AgentFirm.Dashboard/dashboard.css")]
    [InlineData("_framework/blazor.web.js")]
    public async Task Static_asset_is_served(string path)
    {
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        using var response = await http.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True((await response.Content.ReadAsByteArrayAsync()).Length > 0, $"{path} is empty");
    }

    [Fact]
    public async Task Overview_is_prerendered_with_the_chart_and_decision_rows()
    {
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        var html = await http.GetStringAsync("");
        Assert.Contains("data-testid=\"equity-chart\"", html);
        Assert.Contains("data-testid=\"decision-row\"", html);
        Assert.Contains("_content/MudBlazor/MudBlazor.min", html);
    }
}
