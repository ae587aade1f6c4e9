using AgentFirm.Agents;
using AgentFirm.Core;

namespace AgentFirm.Host.Tests;

public sealed class StrategicSettingsTests
{
    [Fact]
    public void The_strategic_model_defaults_to_the_hmm_and_binds_its_schedule_and_budget_table_from_configuration()
    {
        var defaults = AgentFirmSettings.Load();
        Assert.Equal(StrategicModel.Hmm, defaults.Strategic.Kind);

        var settings = AgentFirmSettings.Load([new("AgentFirm:Strategic:Model", "GMM"), new("AgentFirm:Strategic:States", "3"),
            new("AgentFirm:Strategic:RefitEvery", "60"), new("AgentFirm:Strategic:MinimumHistory", "90"), new("AgentFirm:Strategic:RiskBudget:Crisis", "0.05")]);
        Assert.Equal(StrategicModel.Gmm, settings.Strategic.Kind);
        var options = settings.Strategic.ToOptions();
        Assert.Equal((3, 60, 90), (options.States, options.RefitEvery, options.MinimumHistory));
        Assert.Equal(0.05, settings.Strategic.RiskBudget.Crisis);
        Assert.Equal(0.5, settings.Strategic.RiskBudget.Turbulent); // untouched rows keep their defaults
    }

    [Theory]
    [InlineData("Model", "kalman", "AgentFirm:Strategic:Model")]
    [InlineData("RefitEvery", "0", "AgentFirm:Strategic:RefitEvery")]
    [InlineData("States", "0", "AgentFirm:Strategic:States")]
    [InlineData("MinimumHistory", "3", "AgentFirm:Strategic:MinimumHistory")]
    [InlineData("RiskBudget:Turbulent", "1.5", "AgentFirm:Strategic:RiskBudget:Turbulent")]
    public void A_strategic_setting_that_makes_no_sense_stops_start_up_naming_the_key(string key, string value, string expected)
    {
        var ex = Assert.Throws<BadInputException>(() => AgentFirmSettings.Load([new($"AgentFirm:Strategic:{key}", value)]));
        Assert.Contains(expected, ex.Message);
    }
}
