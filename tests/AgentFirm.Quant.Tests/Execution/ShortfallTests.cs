using AgentFirm.Core;
using AgentFirm.Quant.Execution;

namespace AgentFirm.Quant.Tests.Execution;

public sealed class ShortfallTests
{
    [Fact]
    public void Shortfall_of_a_partly_filled_buy_matches_the_hand_worked_example()
    {
        // Worked by hand (Perold 1988's paper-vs-real portfolio): decide to buy 10 at 100; the order reaches the
        // venue at 101; 4 fill at 102 and 3 at 103 (fees 10 bp: 0.408 + 0.309), 3 never fill and the price ends at 105.
        var parent = new ParentOrder("BTC-USDT", OrderSide.Buy, 10, ExecutionMarket.Day0, 100, TimeSpan.FromHours(1));
        var fills = new[]
        {
            new ChildFill(ExecutionMarket.Day0, 4, 102, 0.408, 1.2, false),
            new ChildFill(ExecutionMarket.Day0.AddMinutes(1), 3, 103, 0.309, 0.9, false),
        };

        var s = ImplementationShortfall.From(parent, arrivalPrice: 101, endPrice: 105, fills);

        Assert.Equal(7, s.FilledQuantity, 12);
        Assert.Equal(717.0 / 7, s.AverageFillPrice, 12);   // (408 + 309) / 7
        Assert.Equal(17, s.ExecutedCost, 9);               // 4 x 2 + 3 x 3
        Assert.Equal(7, s.DelayCost, 9);                   // 7 x (101 - 100)
        Assert.Equal(10, s.TradingCost, 9);                // 4 x 1 + 3 x 2
        Assert.Equal(15, s.OpportunityCost, 9);            // 3 x (105 - 100)
        Assert.Equal(0.717, s.Fees, 12);
        Assert.Equal(2.1, s.ImpactCost, 12);
        Assert.Equal(32.717, s.Total, 9);
        Assert.Equal(327.17, s.TotalBps, 6);               // 32.717 / (10 x 100)
        // Against arrival: trading 10 + missed 3 x (105 - 101) = 12 + fees 0.717 = 22.717 on 1010.
        Assert.Equal(22.717 / 1010 * 10_000, s.ArrivalBps, 6);
    }

    [Fact]
    public void Shortfall_of_a_sell_counts_a_lower_fill_as_a_cost()
    {
        var parent = new ParentOrder("BTC-USDT", OrderSide.Sell, 2, ExecutionMarket.Day0, 50, TimeSpan.FromHours(1));
        var fills = new[] { new ChildFill(ExecutionMarket.Day0, 1, 49, 0, 0, false) };

        var s = ImplementationShortfall.From(parent, arrivalPrice: 50, endPrice: 48, fills);

        Assert.Equal(1, s.ExecutedCost, 12);      // sold 1 below 50
        Assert.Equal(2, s.OpportunityCost, 12);   // the unsold 1 lost 2 more
        Assert.Equal(300, s.TotalBps, 9);         // 3 / 100
    }
}
