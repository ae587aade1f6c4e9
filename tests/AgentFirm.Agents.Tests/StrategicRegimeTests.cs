using AgentFirm.Agents.Contracts;
using AgentFirm.Core;
using AgentFirm.Market.Simulation;
using AgentFirm.Quant.Regimes;

namespace AgentFirm.Agents.Tests;

/// <summary>The strategic grain's market-regime model as the firm runs it: the silo's default settings (HMM).</summary>
public sealed class StrategicRegimeTests(FirmCluster firm) : IClassFixture<FirmCluster>
{
    [Fact]
    public async Task The_grain_reports_as_of_regime_probabilities_and_the_budget_expected_under_them()
    {
        var sim = new MarketSimulator(new SimulatorOptions { Seed = 2, Days = 560, Timeframe = Timeframe.Day }).Run();
        DateTimeOffset CloseOf(int d) => sim.Assets[0].Bars[d].CloseTime;
        var grain = firm.Grains.GetGrain<IStrategicGrain>("strategic-hmm");
        var assessments = new List<RegimeAssessment>();
        for (var d = 0; d < 560; d++)
        {
            var bars = sim.Assets.Select(a => new SymbolBar(a.Symbol, a.Bars[d])).ToArray();
            assessments.Add(await grain.AssessAsync(new MarketUpdate(d, CloseOf(d), bars, [], [])));
        }

        var defaults = new StrategicSettings();
        Assert.Contains("warming up", assessments[100].Rationale);
        Assert.Equal(new RegimeProbabilities(0, 1, 0, 0), assessments[100].Probabilities);

        var last = assessments[^1];
        var p = last.Probabilities!;
        Assert.Equal(1.0, p.Calm + p.Normal + p.Turbulent + p.Crisis, 12);
        var distribution = new RegimeDistribution(p.Calm, p.Normal, p.Turbulent, p.Crisis);
        Assert.Equal(distribution.MostLikely, last.Regime);
        Assert.Equal(defaults.RiskBudget.Expected(distribution), last.RiskBudget, 12);
        Assert.Contains("HMM P(", last.Rationale); // past the 500-bar warm-up: a fitted model speaks

        // The same bars through a detector outside Orleans give the same probabilities: nothing else leaks in.
        var detector = new StateRegimeDetector(defaults.ToOptions());
        StateRegimeReading reading = null!;
        for (var d = 0; d < 560; d++)
        {
            foreach (var a in sim.Assets) detector.Observe(a.Symbol, a.Bars[d]);
            reading = detector.Complete(CloseOf(d));
        }
        Assert.Equal(reading.Probabilities.Crisis, p.Crisis);
        Assert.Equal(reading.Probabilities.Calm, p.Calm);
    }

    [Fact]
    public void Strategic_settings_name_the_key_they_reject()
    {
        var ex = Assert.Throws<ArgumentException>(() => new StrategicSettings { Model = "kalman" }.Validate());
        Assert.Contains("AgentFirm:Strategic:Model", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => new StrategicSettings { RefitEvery = 0 }.Validate());
        Assert.Contains("AgentFirm:Strategic:RefitEvery", ex.Message);
    }
}
