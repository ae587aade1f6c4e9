using AgentFirm.Core;
using Orleans.Concurrency;

namespace AgentFirm.Agents.Contracts;

// Every grain of one firm run shares the run's id as its key (market grains add "/SYMBOL"), so
// several backtests and the live session never see each other's state.

/// <summary>The as-of bar history of one symbol.</summary>
public interface IMarketGrain : IGrainWithStringKey
{
    /// <summary>Bars of this symbol in time order (batched by the publisher; repeats are ignored).</summary>
    [OneWay] Task PublishAsync(Bar[] bars);
    Task<Bar[]> RecentAsync(int count);
}

/// <summary>An analyst: turns what became known at a step into views per symbol.</summary>
public interface IAnalystGrain : IGrainWithStringKey
{
    Task<AnalystReport> AnalyseAsync(MarketUpdate update);
}

public interface ITechnicalAnalystGrain : IAnalystGrain;
public interface ISentimentAnalystGrain : IAnalystGrain;
public interface IOnChainAnalystGrain : IAnalystGrain;
public interface ICausalFeatureGrain : IAnalystGrain;

/// <summary>
/// The analysts and the strategic agent of one firm behind one call: each step the meta-controller gets every
/// consulted analyst's views and the regime in a single hop instead of one per agent.
/// </summary>
public interface IAnalystDeskGrain : IGrainWithStringKey
{
    /// <summary>The views and the regime, the analysts' model minds consulted (as in any scored step).</summary>
    Task<AnalystBrief> BriefAsync(MarketUpdate update);

    /// <summary>As <see cref="BriefAsync"/> with the quantitative views only: a warm-up step makes no model calls.</summary>
    Task<AnalystBrief> BriefWarmUpAsync(MarketUpdate update);
    /// <summary>Read-only, for the dashboard: what the sentiment analyst's text pipeline kept and dropped so far, and why; null when it is not consulted.</summary>
    Task<TextPipelineCounts?> SentimentPipelineAsync();
}

/// <summary>Reads the regime and sets the firm's risk budget.</summary>
public interface IStrategicGrain : IGrainWithStringKey
{
    Task<RegimeAssessment> AssessAsync(MarketUpdate update);
}

/// <summary>Turns meta targets into sized order proposals.</summary>
public interface ITacticalGrain : IGrainWithStringKey
{
    Task<SizingPlan> SizeAsync(TargetDecision[] targets, RegimeAssessment regime, PortfolioState portfolio, MarketUpdate update);
}

/// <summary>
/// The hard risk check. Its limits come from configuration when it activates; no method changes them.
/// Only <see cref="ResetAsync"/>, called by a person, lifts a drawdown halt.
/// </summary>
public interface IRiskGrain : IGrainWithStringKey
{
    Task<RiskReview> ReviewAsync(PortfolioState portfolio, ProposedOrder[] proposals);

    /// <summary>
    /// Between decisions (a finer bar closed): trips the drawdown or daily-loss limit on this equity and then
    /// flattens the book, or tightens the protective stops when together they could lose more than the budget left.
    /// </summary>
    Task<GuardAction> GuardAsync(PortfolioState portfolio);
    Task<RiskStatus> StatusAsync();
    Task EngageKillSwitchAsync(string reason);
    Task ResetAsync(string operatorName);

    /// <summary>Opens the drift circuit breaker for a feature: new exposure is vetoed (or capped) until cleared.</summary>
    Task ReportDriftAsync(FeatureDrift drift);

    /// <summary>The feature is back in distribution; the breaker closes when no drifting feature is left.</summary>
    Task ClearDriftAsync(string feature);

    /// <summary>
    /// The driver is about to replay this firm's history from its first step (the silo that held it died): the risk
    /// state starts over and the halts that history caused recur at the same steps. Refused when a person engaged the
    /// kill switch or reset a halt, since the driver's history cannot replay what a person did.
    /// </summary>
    Task BeginReplayAsync();
}

/// <summary>Turns approved orders into venue instructions (market or limit).</summary>
public interface IExecutionGrain : IGrainWithStringKey
{
    Task<OrderInstruction[]> RouteAsync(RiskVerdictRecord[] approved, PortfolioState portfolio);

    /// <summary>Routes the approved orders, then places, moves or cancels each position's protective stop to match the review.</summary>
    Task<OrderInstruction[]> RouteWithStopsAsync(RiskReview review, PortfolioState portfolio);
}

/// <summary>The event-sourced ledger of orders, fills, vetoes and funding.</summary>
public interface IPortfolioGrain : IGrainWithStringKey
{
    Task OpenAsync(FirmSetup setup);
    Task AppendAsync(LedgerBatch batch);
    Task<long> LastSequenceAsync();
    Task<LedgerSummary> SummaryAsync(Dictionary<string, double> marks);
    Task<LedgerEntry[]> EntriesAsync(long afterSequence, int max);
}

/// <summary>Coordinates one decision step: fan-out to analysts, weighting, sizing, risk, execution, ledger.</summary>
public interface IMetaControllerGrain : IGrainWithStringKey
{
    Task StartAsync(FirmSetup setup);
    Task<DecisionOutput> DecideAsync(DecisionInput input);
    Task<DecisionRecord[]> RecentDecisionsAsync(int count);

    /// <summary>The reliability table and Brier score of the firm's resolved calls, and each agent's trust.</summary>
    Task<CalibrationReport> CalibrationAsync();
}
