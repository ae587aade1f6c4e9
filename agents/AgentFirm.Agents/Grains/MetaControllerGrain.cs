using AgentFirm.Agents.Contracts;
using AgentFirm.Core;
using AgentFirm.Llm;
using AgentFirm.Causal;
using AgentFirm.Models.Sentiment;
using AgentFirm.Quant.Analysis;
using AgentFirm.Quant.Firm;
using AgentFirm.Quant.OnChain;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentFirm.Agents.Grains;

public sealed class FirmOptions
{
    /// <summary>How long the meta-controller waits for the analysts; a late analyst is dropped for the step.</summary>
    public TimeSpan AnalystDeadline { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Decision records kept in memory for the dashboard.</summary>
    public int RecentDecisions { get; set; } = 200;

    /// <summary>
    /// The analysts the meta-controller consults (technical, sentiment, onchain, causal); null or empty means all.
    /// `evaluate` runs each analyst alone and the firm without each one through this.
    /// </summary>
    public IReadOnlyList<string>? Analysts { get; set; }

    /// <summary>How the meta-controller learns whom to trust and calibrates its confidence.</summary>
    public EvidenceOptions Evidence { get; set; } = new();

    public bool Consults(string analyst) => Analysts is not { Count: > 0 } || Analysts.Contains(analyst, StringComparer.OrdinalIgnoreCase);
}

/// <summary>What the meta-controller must not forget across a restart: how the run was set up.</summary>
public sealed class MetaControllerState
{
    public FirmSetup? Setup { get; set; }
}

/// <summary>
/// Runs one decision step (DESIGN.md, "One decision step"): records the venue's fills in the ledger,
/// scores the analysts' previous calls, fans out to the analysts and the strategic agent in parallel
/// with a deadline, weights the views by each agent's regime-conditional track record, has the tactical
/// agent size the result, the risk agent review it and the execution agent route it. A step is
/// idempotent: a driver that retries after a silo failure gets the same answer back.
/// </summary>
public sealed class MetaControllerGrain(
    IOptions<FirmOptions> options,
    IMind mind,
    FirmMinds minds,
    TacticalSettings tactical,
    [PersistentState("meta", AgentFirmStorage.Name)] IPersistentState<MetaControllerState> state,
    ILogger<MetaControllerGrain> logger) : Grain, IMetaControllerGrain
{
    private const int PublishBatch = 16;
    private static readonly string[] AnalystNames =
        [TechnicalAnalyst.AgentName, SentimentAnalyst.AgentName, OnChainAnalyst.AgentName, CausalFeatureAnalyst.AgentName];
    private EvidenceCombiner? _evidence;
    // The tactical agent sizes in this activation: a hop to its own grain cost more than its arithmetic.
    private readonly TacticalRole _tactical = new(tactical);
    private readonly Dictionary<string, double> _closes = new(StringComparer.OrdinalIgnoreCase);
    private readonly Queue<DecisionRecord> _recent = new();
    private readonly Dictionary<string, List<Bar>> _unpublished = new(StringComparer.OrdinalIgnoreCase);
    // References resolved once: GetGrain looks the interface type up by reflection on every call.
    private readonly Dictionary<Type, IAddressable> _peers = new();
    private readonly Dictionary<string, IMarketGrain> _markets = new(StringComparer.OrdinalIgnoreCase);
    private long _nextSequence;
    private LedgerSummary? _ledgerOnActivation;
    private long _lastStep = -1;
    private DecisionOutput? _lastOutput;
    // For the mind's prompt: equity at the first scored step and its running peak (P&L and drawdown as fractions).
    private double? _firstEquity;
    private double _peakEquity;
    private bool _scoring;

    private FirmSetup? Setup => state.State.Setup;
    private string RunId => this.GetPrimaryKeyString();

    private T Peer<T>() where T : IGrainWithStringKey
    {
        if (!_peers.TryGetValue(typeof(T), out var peer)) _peers[typeof(T)] = peer = GrainFactory.GetGrain<T>(RunId);
        return (T)peer;
    }

    private IMarketGrain Market(string symbol)
    {
        if (!_markets.TryGetValue(symbol, out var market)) _markets[symbol] = market = GrainFactory.GetGrain<IMarketGrain>($"{RunId}/{symbol}");
        return market;
    }

    public async Task StartAsync(FirmSetup setup)
    {
        // Through this grain, so the risk grain activates beside it (a firm's grains share a silo in the cluster).
        if (setup.Replay) await Peer<IRiskGrain>().BeginReplayAsync();
        state.State = new MetaControllerState { Setup = setup with { Replay = false } };
        await state.WriteStateAsync();
        var portfolio = Peer<IPortfolioGrain>();
        await portfolio.OpenAsync(setup);
        _ledgerOnActivation = await portfolio.SummaryAsync([]);
        _nextSequence = _ledgerOnActivation.LastSequence + 1;
    }

    public async Task<DecisionOutput> DecideAsync(DecisionInput input)
    {
        var update = input.Market;
        if (update.Step == _lastStep && _lastOutput is not null) return _lastOutput;
        if (Setup is null) throw new InvalidOperationException($"Firm {RunId} was not started: call StartAsync first.");
        if (input.ReplayableRun && _lastStep < 0 && update.Step > 1)
            throw new FirmMemoryLostException($"Firm {RunId}: step {update.Step} reached a fresh activation; the run must be replayed into it first.", update.Step);
        if (_ledgerOnActivation is null)
        {
            // Reactivated mid-run (a silo went away): continue the ledger where it stands.
            _ledgerOnActivation = await Peer<IPortfolioGrain>().SummaryAsync([]);
            _nextSequence = _ledgerOnActivation.LastSequence + 1;
        }

        _evidence ??= new EvidenceCombiner(options.Value.Evidence);
        foreach (var bar in update.Bars)
        {
            _evidence.Observe(bar.Symbol, bar.Bar.CloseTime, bar.Bar.Close);
            _closes[bar.Symbol] = bar.Bar.Close;
            if (!_unpublished.TryGetValue(bar.Symbol, out var pending)) _unpublished[bar.Symbol] = pending = new List<Bar>();
            pending.Add(bar.Bar);
            // The market grains are for people and tools, not for this step: feed them in small batches.
            if (pending.Count >= PublishBatch || update.Step % PublishBatch == 0)
            {
                Market(bar.Symbol).PublishAsync(pending.ToArray()).Ignore();
                pending.Clear();
            }
        }

        var (reports, dropped, regime) = await GatherAsync(update, input.WarmingUp);
        var views = Views(reports);
        var weights = new Dictionary<string, double>(StringComparer.Ordinal);
        var calls = new MetaCall[Setup.Symbols.Length];
        for (var i = 0; i < calls.Length; i++)
        {
            var symbol = Setup.Symbols[i];
            calls[i] = _evidence.Decide(symbol, views, regime.Regime, update.Time, _closes.GetValueOrDefault(symbol), Setup.BarDuration, weights);
        }
        if (input.WarmingUp)
        {
            // Learning only: the analysts and the track record see the history, nothing is sized or sent.
            var warm = calls.Select(c => new TargetDecision(c.Symbol, c.Direction, c.Confidence, "quant", "warm-up: " + c.Explanation, c.Horizon)).ToArray();
            _tactical.Size([], regime, input.Portfolio, update); // its volatility and ATR history must be warm too
            return Remember(update.Step, new DecisionRecord(update.Step, update.Time, views, dropped, weights, regime, warm, [], input.Portfolio.Equity, false, null, false) { AnalystMillis = Millis(reports) }, []);
        }
        if (!_scoring)
        {
            // The reliability table speaks for the scored span only, not for the warm-up's learning.
            _evidence.ResetReliability();
            _scoring = true;
        }
        var (targets, debate) = await SynthesiseAsync(update, calls, views, regime, input.Portfolio, weights);

        var sizing = _tactical.Size(targets, regime, input.Portfolio, update);
        var review = await Peer<IRiskGrain>().ReviewAsync(input.Portfolio, sizing.Proposals);
        var orders = await Peer<IExecutionGrain>().RouteWithStopsAsync(review, input.Portfolio);

        var entries = LedgerEntries(input, review, orders);
        if (entries.Length > 0) await Peer<IPortfolioGrain>().AppendAsync(new LedgerBatch(entries));

        var record = new DecisionRecord(update.Step, update.Time, views, dropped, weights, regime, targets, review.Verdicts, input.Portfolio.Equity, review.Halted, review.HaltReason, review.KillSwitch)
        {
            Sizing = sizing.Notes,
            Stops = review.Stops,
            EquityFloor = review.EquityFloor,
            Debate = debate,
            AnalystMillis = Millis(reports),
        };
        return Remember(update.Step, record, orders);
    }

    private static Dictionary<string, double> Millis(AnalystReport[] reports) => reports.ToDictionary(r => r.Agent, r => r.Millis, StringComparer.Ordinal);

    private static AgentView[] Views(AnalystReport[] reports)
    {
        var count = 0;
        foreach (var r in reports) count += r.Views.Length;
        var views = new AgentView[count];
        count = 0;
        foreach (var r in reports)
        {
            r.Views.CopyTo(views, count);
            count += r.Views.Length;
        }
        return views;
    }

    private DecisionOutput Remember(long step, DecisionRecord record, OrderInstruction[] orders)
    {
        _recent.Enqueue(record);
        while (_recent.Count > options.Value.RecentDecisions) _recent.Dequeue();
        _lastStep = step;
        _lastOutput = new DecisionOutput(orders, record);
        return _lastOutput;
    }

    /// <summary>
    /// The final synthesis: the configured mind (offline by default, or an LLM) may adjust the calibrated
    /// decision within its bounds; whatever it answers, the risk agent checks the result.
    /// </summary>
    private async ValueTask<(TargetDecision[] Targets, string[] Debate)> SynthesiseAsync(MarketUpdate update, MetaCall[] calls, AgentView[] views, RegimeAssessment regime,
        PortfolioState portfolio, Dictionary<string, double> weights)
    {
        _firstEquity ??= portfolio.Equity;
        _peakEquity = Math.Max(_peakEquity, portfolio.Equity);
        // The offline mind returns the quantitative decision by definition; skip building its prose every step.
        if (mind is OfflineMind)
        {
            var quant = new TargetDecision[calls.Length];
            for (var i = 0; i < calls.Length; i++)
                quant[i] = new TargetDecision(calls[i].Symbol, calls[i].Direction, calls[i].Confidence, "quant", calls[i].Explanation, calls[i].Horizon);
            return (quant, []);
        }
        var request = new SynthesisRequest(update.Time, calls.Select(c => new AssetTarget(c.Symbol, c.Direction, c.Confidence)).ToArray(),
            views, regime.Regime, regime.RiskBudget, update.Headlines, new Dictionary<string, double>(_closes))
        {
            // The book as fractions of equity (no money levels reach a prompt); the risk state is the last step's verdict.
            Firm = new FirmState(new Dictionary<string, double>(weights),
                portfolio.Positions.ToDictionary(p => p.Key, p => portfolio.Equity > 0 ? p.Value * portfolio.Marks.GetValueOrDefault(p.Key) / portfolio.Equity : 0),
                _firstEquity > 0 ? portfolio.Equity / _firstEquity.Value - 1 : 0,
                _peakEquity > 0 ? 1 - portfolio.Equity / _peakEquity : 0,
                _lastOutput?.Record.Halted ?? false, _lastOutput?.Record.HaltReason),
        };
        MindDecision decision;
        try
        {
            // The researchers argue first; the mind decides with their transcript in its prompt.
            if (minds.Debate is { } debate)
                request = request with { Debate = await debate.RunAsync(request, minds.AnonymiserFor(request), CancellationToken.None) };
            decision = await mind.SynthesiseAsync(request, CancellationToken.None);
        }
        catch (Exception ex) when (ex is not CassetteMissException)
        {
            // A mind must fall back on its own; if one throws anyway, the quantitative decision stands.
            // Not a replay miss: a replay that cannot reproduce the run must stop.
            logger.LogError(ex, "Step {Step}: the mind failed; using the quantitative decision", update.Step);
            decision = new MindDecision(update.Time, request.QuantTargets, "mind failed", MindSource.QuantFallback);
        }
        var source = decision.Source == MindSource.Mind ? "mind" : $"quant (mind fell back: {decision.FallbackReason})";
        // The prompt version goes with the rationale into the decision record: which prompt text decided.
        var version = decision.PromptVersion is null ? "" : $" [{decision.PromptVersion}]";
        return (calls.Select(c =>
        {
            var t = decision.TargetFor(c.Symbol) ?? new AssetTarget(c.Symbol, c.Direction, c.Confidence);
            var rationale = decision.Source == MindSource.Mind ? decision.Rationale + version : c.Explanation;
            return new TargetDecision(c.Symbol, t.Direction, t.Confidence, source, rationale, c.Horizon);
        }).ToArray(), request.Debate?.Select(turn => turn.Line()).ToArray() ?? []);
    }

    public Task<DecisionRecord[]> RecentDecisionsAsync(int count) => Task.FromResult(_recent.Reverse().Take(count).ToArray());

    public Task<CalibrationReport> CalibrationAsync()
    {
        var evidence = _evidence ?? new EvidenceCombiner(options.Value.Evidence);
        var bins = evidence.Reliability.Table().Select(b => new ReliabilityRow(b.From, b.To, b.Calls, b.MeanConfidence, b.HitRate)).ToArray();
        var trust = AnalystNames.ToDictionary(a => a, evidence.Trust);
        var fits = AnalystNames.ToDictionary(a => a, a => evidence.AgentCalibration(a) is { } c ? new AgentFit(c.Coefficients.Sign, c.Coefficients.Linear, c.StandardErrors.Sign, c.StandardErrors.Linear, c.Count) : new AgentFit(0, 0, double.NaN, double.NaN, 0));
        return Task.FromResult(new CalibrationReport(evidence.Reliability.Calls, evidence.Reliability.Brier, bins, trust, evidence.CalibrationSlope, fits));
    }

    /// <summary>What the firm assumes when the strategic agent cannot answer.</summary>
    internal static readonly RegimeAssessment RegimeFallback = new(Regime.Turbulent, 0.5, "strategic agent unavailable: assuming a turbulent market");

    /// <summary>
    /// The analysts' views and the regime, from the analyst desk in one call. A failing analyst is dropped by the
    /// desk; if the desk itself misses the deadline or fails, every analyst is dropped for the step and the
    /// regime falls back to turbulent.
    /// </summary>
    private async Task<(AnalystReport[] Reports, string[] Dropped, RegimeAssessment Regime)> GatherAsync(MarketUpdate update, bool warmingUp)
    {
        var desk = Peer<IAnalystDeskGrain>();
        var call = warmingUp ? desk.BriefWarmUpAsync(update) : desk.BriefAsync(update);
        try
        {
            return Unpack(await call.WaitAsync(options.Value.AnalystDeadline));
        }
        catch (TimeoutException)
        {
            logger.LogWarning("Step {Step}: analysts missed the {Deadline} deadline", update.Step, options.Value.AnalystDeadline);
            return Unanswered(update, "late");
        }
        catch (Exception ex) when (call.IsFaulted && minds.ReplayMiss is null)
        {
            return Unanswered(update, ex.GetBaseException().Message);
        }

        static (AnalystReport[], string[], RegimeAssessment) Unpack(AnalystBrief b) => (b.Reports, b.Dropped, b.Regime);
    }

    private (AnalystReport[], string[], RegimeAssessment) Unanswered(MarketUpdate update, string reason)
    {
        var dropped = AnalystNames.Where(options.Value.Consults).ToArray();
        foreach (var name in dropped)
            logger.LogWarning("Step {Step}: dropped analyst {Analyst}: {Reason}", update.Step, name, reason);
        return ([], dropped, RegimeFallback);
    }

    /// <summary>
    /// The step's ledger entries: the venue's new fills and funding, then the vetoes and the orders sent.
    /// What the ledger already holds (a step retried after a silo failure) is left out.
    /// </summary>
    private LedgerEntry[] LedgerEntries(DecisionInput input, RiskReview review, OrderInstruction[] orders)
    {
        var step = input.Market.Step;
        var time = input.Market.Time;
        var recorded = _ledgerOnActivation!;
        var entries = new List<LedgerEntry>(input.NewFills.Length + input.NewFunding.Length + orders.Length + review.Verdicts.Length);
        for (var i = 0; i < input.NewFills.Length; i++)
        {
            if (input.FirstFillIndex + i < recorded.Fills) continue;
            var f = input.NewFills[i];
            entries.Add(new LedgerEntry(_nextSequence++, step, f.Time, LedgerEntryKind.Fill, f.Symbol, f.Side, f.Quantity, f.Price, f.Fee, OrderId: f.OrderId, Note: f.IsMaker ? "maker" : "taker"));
        }
        for (var i = 0; i < input.NewFunding.Length; i++)
        {
            if (input.FirstFundingIndex + i < recorded.FundingPayments) continue;
            var p = input.NewFunding[i];
            entries.Add(new LedgerEntry(_nextSequence++, step, p.Time, LedgerEntryKind.Funding, p.Symbol, Quantity: p.PositionQuantity, Price: p.MarkPrice, Amount: p.Amount, Note: $"rate {p.Rate:G6}"));
        }
        if (step > recorded.LastStep)
        {
            foreach (var v in review.Verdicts.Where(v => v.Decision == VerdictKind.Veto))
                entries.Add(new LedgerEntry(_nextSequence++, step, time, LedgerEntryKind.OrderVetoed, v.Proposal.Symbol, v.Proposal.Side, v.Proposal.Quantity, v.Proposal.ReferencePrice, Note: v.Reason));
            foreach (var o in input.BetweenDecisions.Length == 0 ? orders : input.BetweenDecisions.Concat(orders))
                entries.Add(o.CancelOrderId > 0
                    ? new LedgerEntry(_nextSequence++, step, time, LedgerEntryKind.OrderCancelled, o.Symbol, OrderId: o.CancelOrderId, Note: o.Tag)
                    : new LedgerEntry(_nextSequence++, step, time, LedgerEntryKind.OrderSubmitted, o.Symbol, o.Side, o.Quantity, o.LimitPrice ?? o.StopPrice ?? 0, Note: o.Tag));
        }
        return entries.ToArray();
    }
}
