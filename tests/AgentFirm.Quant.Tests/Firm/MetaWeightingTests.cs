using AgentFirm.Core;
using AgentFirm.Quant.Firm;

namespace AgentFirm.Quant.Tests.Firm;

public sealed class MetaWeightingTests
{
    private static readonly DateTimeOffset T = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static AgentView View(string agent, double direction, double confidence, string symbol = "BTC-USDT") =>
        new(agent, symbol, T, direction, confidence, TimeSpan.FromHours(1), [], "test");

    [Fact]
    public void Agreeing_views_give_a_confident_decision_and_opposing_views_cancel()
    {
        var agree = ViewAggregator.Combine("BTC-USDT", [View("a", 1, 0.8), View("b", 0.5, 0.8)], _ => 1);
        var cancel = ViewAggregator.Combine("BTC-USDT", [View("a", 1, 0.8), View("b", -1, 0.8)], _ => 1);

        Assert.Equal(0.75, agree.Direction, 1e-12);       // (0.8*1 + 0.8*0.5) / 1.6
        Assert.Equal(0.8 * 0.75, agree.Confidence, 1e-12); // mean confidence 0.8 x agreement 0.75
        Assert.Equal(0, cancel.Direction, 1e-12);
        Assert.Equal(0, cancel.Confidence, 1e-12);
    }

    [Fact]
    public void Views_of_other_symbols_and_broken_numbers_are_ignored_or_neutralised()
    {
        var result = ViewAggregator.Combine("BTC-USDT", [View("a", double.NaN, 0.9), View("b", 1, 0.5, "ETH-USDT")], _ => 1);
        Assert.Equal(0, result.Direction);
        Assert.Equal(0, result.Confidence);
    }

    [Fact]
    public void Track_record_scores_a_view_only_after_the_next_close_and_shrinks_toward_a_coin_flip()
    {
        var record = new AgentTrackRecord(window: 100, priorStrength: 10);
        for (var i = 0; i < 20; i++)
        {
            record.Issue([View("right", 1, 1), View("wrong", -1, 1)], Regime.Normal, _ => 100);
            Assert.Equal(i, record.Calls("right", Regime.Normal)); // not scored before the next close
            record.Score("BTC-USDT", 101);
        }

        Assert.Equal((20 + 5) / 30.0, record.HitRate("right", Regime.Normal), 1e-12);
        Assert.Equal(5 / 30.0, record.HitRate("wrong", Regime.Normal), 1e-12);
        Assert.Equal(0.5, record.HitRate("right", Regime.Crisis)); // no record in another regime
        Assert.True(record.Weight("right", Regime.Normal) > record.Weight("wrong", Regime.Normal));
        Assert.Equal(0.02, record.Weight("wrong", Regime.Normal), 1e-12);
    }
}
