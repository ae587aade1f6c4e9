using AgentFirm.Agents.Contracts;
using AgentFirm.Core;
using AgentFirm.Quant.Execution;
using AgentFirm.Quant.Features;
using AgentFirm.Quant.Risk;
using Microsoft.Extensions.Logging;

namespace AgentFirm.Agents.Grains;

/// <summary>
/// The firm's hard risk check: a thin shell around <see cref="RiskEngine"/>. Its limits are the
/// <see cref="RiskLimits"/> registered when the silo starts; no message can change them. Its state
/// (peak, day start, halt, kill switch) is persisted whenever it matters, so a restart cannot quietly
/// un-halt the firm. While halted it approves only the orders that flatten the book.
/// </summary>
public sealed class RiskGrain(
    RiskLimits limits,
    [PersistentState("risk", AgentFirmStorage.Name)] IPersistentState<RiskEngineState> state,
    ExecutionSettings execution,
    ILogger<RiskGrain> logger) : Grain, IRiskGrain
{
    private const int PersistEveryReviews = 50;
    private RiskEngine _engine = new(limits);
    private int _reviewsSinceWrite;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _engine = state.RecordExists ? RiskEngine.Import(limits, state.State) : new RiskEngine(limits);
        return Task.CompletedTask;
    }

    public async Task<RiskReview> ReviewAsync(PortfolioState portfolio, ProposedOrder[] proposals)
    {
        var wasHalted = _engine.Halted;
        var dayBefore = _engine.DayStartEquity;
        _engine.Observe(portfolio.Time, portfolio.Equity);
        var snapshot = new PortfolioSnapshot(portfolio.Time, portfolio.Equity, portfolio.Positions, portfolio.Marks, portfolio.LastBarClose, new Timeframe(portfolio.BarDuration));

        RiskVerdictRecord[] verdicts;
        if (_engine.Halted)
        {
            // Flat and halted: the engine's own flattening orders go through; everything proposed is refused.
            var flatten = _engine.Review(snapshot, _engine.Flatten(snapshot, _engine.HaltReason ?? "halted"));
            verdicts = flatten.Select(ToRecord)
                .Concat(proposals.Select(p => new RiskVerdictRecord(p, VerdictKind.Veto, 0, $"vetoed: firm halted ({_engine.HaltReason}); only flattening orders pass until a person resets")))
                .ToArray();
        }
        else
        {
            verdicts = _engine.Review(snapshot, proposals.Select(ToProposal).ToList()).Select(ToRecord).ToArray();
            if (execution.Toxicity.Enabled) await ShrinkOnToxicFlowAsync(verdicts, portfolio);
        }

        if (_engine.Halted != wasHalted)
            logger.LogWarning("Risk {Firm}: {State} at {Time}: {Reason}", this.GetPrimaryKeyString(), _engine.Halted ? "HALTED" : "resumed", portfolio.Time, _engine.HaltReason);
        if (_engine.Halted != wasHalted || _engine.DayStartEquity != dayBefore || ++_reviewsSinceWrite >= PersistEveryReviews)
            await PersistAsync();
        return new RiskReview(verdicts, _engine.Halted, _engine.HaltReason, _engine.KillSwitchEngaged)
        {
            Stops = PlanStops(portfolio, verdicts),
            EquityFloor = _engine.GuardFloor,
        };
    }

    public async Task BeginReplayAsync()
    {
        var stored = _engine.Export();
        if (stored.KillSwitchEngaged || stored.LastResetBy is not null)
            throw new InvalidOperationException($"Risk {this.GetPrimaryKeyString()}: a person engaged the kill switch or reset a halt; the firm cannot be replayed past that.");
        _engine = new RiskEngine(limits);
        _reviewsSinceWrite = 0;
        await state.ClearStateAsync();
    }

    public async Task<GuardAction> GuardAsync(PortfolioState portfolio)
    {
        var reason = _engine.CheckBetweenDecisions(portfolio.Time, portfolio.Equity);
        if (reason is not null)
        {
            // A limit tripped between decisions: close everything at the next executable price; the halt
            // (or the day's lock) then holds at the next decision exactly as if it had tripped there.
            logger.LogWarning("Risk {Firm}: between decisions at {Time}: {Reason}; flattening", this.GetPrimaryKeyString(), portfolio.Time, reason);
            await PersistAsync();
            var snapshot = new PortfolioSnapshot(portfolio.Time, portfolio.Equity, portfolio.Positions, portfolio.Marks, portfolio.LastBarClose, new Timeframe(portfolio.BarDuration));
            var flatten = _engine.Flatten(snapshot, reason)
                .Select(p => new OrderInstruction(p.Symbol, p.Side, p.Quantity, OrderType.Market, null, "risk/guard-flatten"))
                .ToArray();
            return new GuardAction(flatten, _engine.GuardFloor, $"flattened between decisions: {reason}");
        }
        // Otherwise only the stops may need to come closer: together they must not lose more than is left.
        var stops = PlanStops(portfolio, []);
        var orders = new List<OrderInstruction>();
        ExecutionGrain.SyncStops(stops, portfolio.Stops, orders);
        if (orders.Count == 0) return new GuardAction([], _engine.GuardFloor, null);
        // The execution agent places and moves stops; it is asked only when one changes.
        var routed = await GrainFactory.GetGrain<IExecutionGrain>(this.GetPrimaryKeyString())
            .RouteWithStopsAsync(new RiskReview([], _engine.Halted, _engine.HaltReason, _engine.KillSwitchEngaged) { Stops = stops }, portfolio);
        return new GuardAction(routed, _engine.GuardFloor, null);
    }

    /// <summary>
    /// The VPIN toxicity rule (<see cref="VpinToxicityRule"/>): while a symbol's order flow reads toxic, orders that add
    /// exposure there are scaled down; reductions pass untouched. The bars come from the market grain, which is fed
    /// one-way, so at worst the reading lags the newest bar; it never sees a later one.
    /// </summary>
    private async Task ShrinkOnToxicFlowAsync(RiskVerdictRecord[] verdicts, PortfolioState portfolio)
    {
        var rule = execution.Toxicity;
        Dictionary<string, ToxicityReading>? readings = null;
        for (var n = 0; n < verdicts.Length; n++)
        {
            var v = verdicts[n];
            if (v.Decision == VerdictKind.Veto || v.ApprovedQuantity <= 0) continue;
            var symbol = v.Proposal.Symbol;
            var held = portfolio.Positions.GetValueOrDefault(symbol);
            if (held != 0 && Math.Sign(held) != v.Proposal.Side.Sign() && v.ApprovedQuantity <= Math.Abs(held) + 1e-12) continue;
            readings ??= new Dictionary<string, ToxicityReading>(StringComparer.OrdinalIgnoreCase);
            if (!readings.TryGetValue(symbol, out var reading))
                readings[symbol] = reading = rule.Read(await GrainFactory.GetGrain<IMarketGrain>($"{this.GetPrimaryKeyString()}/{symbol}").RecentAsync(rule.LookbackBars));
            if (!reading.Toxic) continue;
            var quantity = v.ApprovedQuantity * rule.ExposureScale;
            verdicts[n] = v with
            {
                Decision = quantity > 0 ? VerdictKind.Shrink : VerdictKind.Veto,
                ApprovedQuantity = quantity,
                Reason = $"{v.Reason}; toxic order flow: {reading.Reason}; new exposure x{rule.ExposureScale:G3}",
            };
        }
    }

    /// <summary>
    /// The stop each position should carry once this step's approved orders have filled: at the ATR stop a
    /// trade was sized for, kept where unchanged, and all of them tightened together to the loss budget left.
    /// </summary>
    private StopApproval[] PlanStops(PortfolioState portfolio, RiskVerdictRecord[] verdicts)
    {
        var expected = new Dictionary<string, double>(portfolio.Positions, StringComparer.OrdinalIgnoreCase);
        Dictionary<string, StopBasis>? basis = null;
        foreach (var v in verdicts)
        {
            if (v.ApprovedQuantity <= 0 || v.Decision == VerdictKind.Veto) continue;
            var p = v.Proposal;
            var before = expected.GetValueOrDefault(p.Symbol);
            var after = before + p.Side.Sign() * v.ApprovedQuantity;
            if (Math.Abs(after) <= 1e-12 * Math.Max(1, Math.Abs(before))) after = 0;
            expected[p.Symbol] = after;
            // An order that opens or adds sets the stop its risk was sized for.
            if (p.RiskPerUnit > 0 && Math.Abs(after) > Math.Abs(before) * (1 - 1e-12) && Math.Sign(after) == p.Side.Sign())
                (basis ??= new Dictionary<string, StopBasis>(StringComparer.OrdinalIgnoreCase))[p.Symbol] = new StopBasis(p.ReferencePrice, p.RiskPerUnit);
        }
        // A stop is reduce-only, so it may be larger than the position: size it for the largest position the
        // book can reach in the direction it has once everything fills, whichever working and new orders fill.
        if (portfolio.Working is { Count: > 0 } working)
        {
            foreach (var (symbol, w) in working) expected.TryAdd(symbol, 0);
            foreach (var symbol in expected.Keys.ToArray())
            {
                var held = portfolio.Positions.GetValueOrDefault(symbol);
                var after = expected[symbol];
                var w = working.GetValueOrDefault(symbol);
                var sign = Math.Sign(after + w) != 0 ? Math.Sign(after + w) : Math.Sign(after);
                var largest = 0.0;
                foreach (var outcome in (ReadOnlySpan<double>)[held, held + w, after, after + w])
                    if (Math.Sign(outcome) == sign && Math.Abs(outcome) > Math.Abs(largest)) largest = outcome;
                expected[symbol] = largest;
            }
        }
        var resting = portfolio.Stops.Length == 0 ? null
            : portfolio.Stops.Select(s => new RestingStop(s.Symbol, s.OrderId, s.Side, s.Quantity, s.StopPrice)).ToArray();
        var heldNotional = 0.0;
        foreach (var (symbol, q) in expected)
            if (portfolio.Marks.TryGetValue(symbol, out var mark) && double.IsFinite(mark * q)) heldNotional += Math.Abs(q) * mark;
        var levels = ProtectiveStops.Plan(expected, portfolio.Marks, basis, resting, _engine.CommittableLossBudget(portfolio.Equity, heldNotional));
        var approvals = new StopApproval[levels.Length];
        for (var i = 0; i < levels.Length; i++)
            approvals[i] = new StopApproval(levels[i].Symbol, levels[i].Side, levels[i].Quantity, levels[i].StopPrice, "approved: protective, reduce-only; " + levels[i].Reason);
        return approvals;
    }

    public Task<RiskStatus> StatusAsync() => Task.FromResult(new RiskStatus(
        _engine.Halted, _engine.HaltReason, _engine.KillSwitchEngaged, _engine.PeakEquity ?? 0, _engine.DayStartEquity ?? 0, limits.ToString()));

    public async Task EngageKillSwitchAsync(string reason)
    {
        _engine.EngageKillSwitch(reason);
        logger.LogWarning("Risk {Firm}: kill switch engaged: {Reason}", this.GetPrimaryKeyString(), reason);
        await PersistAsync();
    }

    public async Task ResetAsync(string operatorName)
    {
        _engine.Reset(operatorName);
        logger.LogWarning("Risk {Firm}: reset by {Operator}", this.GetPrimaryKeyString(), operatorName);
        await PersistAsync();
    }

    public Task ReportDriftAsync(FeatureDrift drift)
    {
        var e = new DriftEvent(drift.Feature, drift.Statistic, drift.PValue, drift.Time, drift.TrainingCount, drift.LiveCount);
        _engine.ReportDrift(e);
        logger.LogWarning("Risk {Firm}: drift circuit breaker open: {Drift}", this.GetPrimaryKeyString(), e);
        return Task.CompletedTask;
    }

    public Task ClearDriftAsync(string feature)
    {
        _engine.ClearDrift(feature);
        logger.LogInformation("Risk {Firm}: {Feature} back in distribution; breaker {State}", this.GetPrimaryKeyString(), feature, _engine.DriftActive ? "still open" : "closed");
        return Task.CompletedTask;
    }

    private async Task PersistAsync()
    {
        state.State = _engine.Export();
        await state.WriteStateAsync();
        _reviewsSinceWrite = 0;
    }

    private static OrderProposal ToProposal(ProposedOrder p) => new(p.Symbol, p.Side, p.Quantity, p.ReferencePrice, p.RiskPerUnit, p.Origin);

    private static RiskVerdictRecord ToRecord(RiskVerdict v) => new(
        new ProposedOrder(v.Proposal.Symbol, v.Proposal.Side, v.Proposal.Quantity, v.Proposal.ReferencePrice, v.Proposal.RiskPerUnit, v.Proposal.Origin),
        v.Decision switch { RiskDecision.Approve => VerdictKind.Approve, RiskDecision.Shrink => VerdictKind.Shrink, _ => VerdictKind.Veto },
        v.ApprovedQuantity,
        v.Reason);
}
