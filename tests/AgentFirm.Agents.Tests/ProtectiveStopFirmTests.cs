using AgentFirm.Agents.Contracts;
using AgentFirm.Agents.Firm;
using AgentFirm.Agents.Grains;
using AgentFirm.Core;
using AgentFirm.Quant.Backtest;

namespace AgentFirm.Agents.Tests;

/// <summary>The firm's protective stops over a simulated year: placed for every position, at the sizing's level, recorded, and gone with the position.</summary>
public sealed class ProtectiveStopFirmTests(FirmCluster firm) : IClassFixture<FirmCluster>
{
    /// <summary>Checks the venue's book before every decision and the risk agent's stops after it.</summary>
    private sealed class StopAudit(FirmStrategy inner) : IStrategy
    {
        public List<string> Problems { get; } = new();
        public int ProtectedPositions { get; private set; }
        public int StopsAtSizingLevel { get; private set; }

        public string Name => inner.Name;

        public async ValueTask OnBarAsync(IStrategyContext context, CancellationToken cancellationToken)
        {
            foreach (var instrument in context.Instruments)
            {
                var held = context.Portfolio.PositionQuantity(instrument.Symbol);
                if (held == 0) continue;
                var covered = context.OpenOrders
                    .Where(o => o.Order.Symbol == instrument.Symbol && o.Order.ReduceOnly && o.Order.Type == OrderType.Stop && o.Order.Side.Sign() == -Math.Sign(held))
                    .Sum(o => o.RemainingQuantity);
                if (covered < Math.Abs(held) * (1 - 1e-9)) Problems.Add($"{context.Now:yyyy-MM-dd} {instrument.Symbol}: holds {held} with stops for {covered}");
                else ProtectedPositions++;
            }
            await inner.OnBarAsync(context, cancellationToken);
            if (inner.LastDecision is not { } d) return;
            foreach (var v in d.Verdicts.Where(v => v.ApprovedQuantity > 0 && v.Proposal.RiskPerUnit > 0))
            {
                var stop = d.Stops.FirstOrDefault(s => s.Symbol == v.Proposal.Symbol);
                var held = context.Portfolio.PositionQuantity(v.Proposal.Symbol);
                var opens = Math.Sign(held + v.Proposal.Side.Sign() * v.ApprovedQuantity) == v.Proposal.Side.Sign();
                if (stop is null || !opens || stop.Reason.Contains("tightened") || context.OpenOrders.Any(o => o.Order.Symbol == v.Proposal.Symbol && !o.Order.ReduceOnly && o.Order.SubmittedAt < d.Time)) continue;
                var expected = v.Proposal.ReferencePrice - v.Proposal.Side.Sign() * v.Proposal.RiskPerUnit;
                if (Math.Abs(stop.StopPrice - expected) > 1e-9 * expected) Problems.Add($"{d.Time:yyyy-MM-dd} {stop.Symbol}: stop at {stop.StopPrice}, the sizing assumed {expected}");
                else StopsAtSizingLevel++;
            }
        }
    }

    [Fact]
    public async Task Every_position_carries_a_reduce_only_stop_at_the_level_its_sizing_assumed_and_the_ledger_records_it()
    {
        var runId = "stops";
        var (market, feed) = FirmCluster.SimulatedYear();
        var audit = new StopAudit(new FirmStrategy(firm.Grains, runId, feed));

        var result = await new BacktestEngine(new BacktestOptions()).RunAsync(market, audit);
        var ledger = await firm.Grains.GetGrain<IPortfolioGrain>(runId).EntriesAsync(0, int.MaxValue);

        Assert.Empty(audit.Problems);
        Assert.True(audit.ProtectedPositions > 100, $"only {audit.ProtectedPositions} position-days were checked");
        Assert.True(audit.StopsAtSizingLevel > 0, "no stop was checked against its sizing");
        var placed = ledger.Where(e => e.Kind == LedgerEntryKind.OrderSubmitted && e.Note == ExecutionGrain.StopTag).ToArray();
        Assert.NotEmpty(placed);
        Assert.All(placed, e => Assert.True(e.Price > 0, "a stop is recorded with its trigger price"));
        Assert.Contains(ledger, e => e.Kind == LedgerEntryKind.OrderCancelled && e.OrderId > 0);
    }
}
