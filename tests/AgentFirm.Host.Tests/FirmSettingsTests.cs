using AgentFirm.Core;
using AgentFirm.Quant.Sizing;

namespace AgentFirm.Host.Tests;

public sealed class FirmSettingsTests
{
    [Fact]
    public void Tactical_evidence_and_analyst_settings_bind_from_configuration_and_reach_the_firm()
    {
        var settings = AgentFirmSettings.Load([new("AgentFirm:Tactical:TargetVolatility", "0.3"), new("AgentFirm:Tactical:Method", "Kelly"),
            new("AgentFirm:Evidence:SignificanceZ", "2"), new("AgentFirm:Analysts:0", "sentiment"), new("AgentFirm:Backtest:TakerFeeBps", "5")]);
        Assert.Equal(0.3, settings.Tactical.TargetVolatility);
        Assert.Equal(SizingMethod.Kelly, settings.Tactical.Method);
        var firm = settings.FirmOptions();
        Assert.Equal(2, firm.Evidence.SignificanceZ);
        Assert.Equal(["sentiment"], firm.Analysts!);
        Assert.True(firm.Consults("sentiment") && !firm.Consults("technical"));
        Assert.Equal(5 + 2 / 2.0, settings.OneWayCostBps); // taker fee + half the default 2 bp spread + no slippage
    }

    [Theory]
    [InlineData("AgentFirm:Tactical:TargetVolatility", "0", "AgentFirm:Tactical:TargetVolatility")]
    [InlineData("AgentFirm:Tactical:FullConvictionEdge", "1.5", "AgentFirm:Tactical:FullConvictionEdge")]
    [InlineData("AgentFirm:Evidence:Window", "5", "AgentFirm:Evidence:Window")]
    [InlineData("AgentFirm:Evidence:HedgeDiscount", "0", "AgentFirm:Evidence:HedgeDiscount")]
    [InlineData("AgentFirm:Analysts:0", "astrology", "AgentFirm:Analysts")]
    public void A_firm_setting_that_makes_no_sense_stops_start_up_naming_the_key(string key, string value, string expected)
    {
        var ex = Assert.Throws<BadInputException>(() => AgentFirmSettings.Load([new(key, value)]));
        Assert.Contains(expected, ex.Message);
    }
}
