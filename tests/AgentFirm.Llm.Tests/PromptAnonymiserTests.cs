namespace AgentFirm.Llm.Tests;

public sealed class PromptAnonymiserTests
{
    [Fact]
    public void Symbols_names_dates_and_prices_round_trip()
    {
        var anonymiser = PromptAnonymiser.For(Samples.Request());

        Assert.Equal(("ASSET_1", "ASSET_2"), (anonymiser.Symbol("BTCUSDT"), anonymiser.Symbol("ETHUSDT")));
        Assert.Equal(("BTCUSDT", "ETHUSDT"), (anonymiser.RestoreSymbol("ASSET_1"), anonymiser.RestoreSymbol("ASSET_2")));
        Assert.Null(anonymiser.RestoreSymbol("ASSET_3"));

        var hidden = anonymiser.Text("Bitcoin and btc rallied on 2024-03-13 while ETHUSDT and Ether slid since March 11, 2024; ethics unchanged.");
        Assert.Equal("ASSET_1 and ASSET_1 rallied on T-1 while ASSET_2 and ASSET_2 slid since T-3; ethics unchanged.", hidden);
        Assert.Equal("BTCUSDT and BTCUSDT rallied on 2024-03-13 while ETHUSDT and ETHUSDT slid since 2024-03-11; ethics unchanged.",
            anonymiser.Restore(hidden));

        Assert.Equal("T-0", anonymiser.Time(Samples.DecisionTime.AddHours(-23)));
        Assert.Equal("T-2", anonymiser.Time(Samples.DecisionTime.AddDays(-2)));
        Assert.Equal(100, anonymiser.Price("BTCUSDT", 64_000), 9);
        Assert.Equal(105, anonymiser.Price("ETHUSDT", 3_360), 9);
        Assert.Equal(3_360, anonymiser.RestorePrice("ETHUSDT", anonymiser.Price("ETHUSDT", 3_360)), 9);
    }

    [Fact]
    public void Off_passes_everything_through()
    {
        var anonymiser = PromptAnonymiser.For(Samples.Request(), enabled: false);

        Assert.Equal("BTCUSDT", anonymiser.Symbol("BTCUSDT"));
        Assert.Equal("Bitcoin on 2024-03-13", anonymiser.Text("Bitcoin on 2024-03-13"));
        Assert.Equal(64_000, anonymiser.Price("BTCUSDT", 64_000));
        Assert.Equal("2024-03-14T12:00Z", anonymiser.Time(Samples.DecisionTime));
    }

    [Theory]
    // Price units: a level rebased to 100 at the 64,000 close; a difference (MACD histogram, ATR) scaled by the same 100 / 64,000.
    [InlineData("close", 64_000, 100)]
    [InlineData("sma20", 60_800, 95)]
    [InlineData("sma_50", 64_000, 100)]
    [InlineData("macd_hist", 320, 0.5)]
    [InlineData("atr14", 1_280, 2)]
    // Dimensionless: a band position, an oscillator, ratios and z-scores mean the same at any price level.
    [InlineData("bb_percent_b", 1.23, 1.23)]
    [InlineData("rsi14", 71.5, 71.5)]
    [InlineData("momentum20", 0.042, 0.042)]
    [InlineData("mvrv_z", 2.1, 2.1)]
    [InlineData("atr_pct", 0.02, 0.02)]
    [InlineData("smart_money_flow", 5, 5)]
    [InlineData("ETHUSDT_netflow[t-1]", -1.4, -1.4)]
    public void Evidence_is_rebased_by_its_unit(string name, double value, double shown)
    {
        var anonymiser = PromptAnonymiser.For(Samples.Request());

        Assert.Equal(shown, anonymiser.Evidence("BTCUSDT", name, value), 9);
        Assert.Equal(value, PromptAnonymiser.For(Samples.Request(), enabled: false).Evidence("BTCUSDT", name, value), 9);
    }

    [Fact]
    public void Prompt_shows_macd_hist_rebased_and_bb_percent_b_as_it_is()
    {
        var request = Samples.Request() with
        {
            Views =
            [
                new AgentFirm.Core.AgentView("technical", "BTCUSDT", Samples.DecisionTime, 0.2, 0.5, TimeSpan.FromDays(1),
                    [new AgentFirm.Core.Evidence("macd_hist", 320), new AgentFirm.Core.Evidence("bb_percent_b", 1.23)], "stretched"),
            ],
        };

        var views = MetaControllerPrompt.Values(request, PromptAnonymiser.For(request), 20)["views"];

        Assert.Contains("macd_hist=0.5,", views, StringComparison.Ordinal);
        Assert.Contains("bb_percent_b=1.23]", views, StringComparison.Ordinal);
    }
}
