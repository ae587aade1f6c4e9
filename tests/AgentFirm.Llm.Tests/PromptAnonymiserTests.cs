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
}
