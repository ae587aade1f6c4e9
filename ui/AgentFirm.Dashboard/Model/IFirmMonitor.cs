namespace AgentFirm.Dashboard.Model;

/// <summary>
/// The dashboard's only view of the firm: a read model the host implements (over grains, a backtest,
/// or a test double). <see cref="Current"/> is an immutable snapshot, replaced as a whole; <see cref="Changed"/>
/// fires after it is replaced, on any thread, possibly many times a second (pages throttle their redraws).
/// </summary>
public interface IFirmMonitor
{
    FirmSnapshot Current { get; }

    IReadOnlyList<BacktestRunSummary> Backtests { get; }

    event Action? Changed;

    /// <summary>
    /// How many decision steps <see cref="FindDecisions"/> searches (the newest ones); older steps stay in the
    /// session's ledger. By default only the snapshot's recent steps.
    /// </summary>
    int DecisionsHeld => Current.Decisions.Count;

    /// <summary>A listed backtest run with its curve and configuration; null when no run has that id (or the host keeps none).</summary>
    BacktestRunDetail? OpenBacktest(string id) => null;

    /// <summary>Every held decision step, latest first: the market page reads the analysts' evidence over time from them.</summary>
    IReadOnlyList<DecisionStepRow> HeldDecisions => Current.Decisions;

    /// <summary>What the sentiment analyst's text pipeline kept and dropped so far; null when the host cannot ask it.</summary>
    Task<TextPipelineSummary?> SentimentPipelineAsync() => Task.FromResult<TextPipelineSummary?>(null);

    /// <summary>One page of the held decision steps that match the query, latest first.</summary>
    DecisionPage FindDecisions(DecisionQuery query) => query.Apply(Current.Decisions);
}
