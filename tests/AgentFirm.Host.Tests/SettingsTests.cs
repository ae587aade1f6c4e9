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
}
