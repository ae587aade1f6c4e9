using AgentFirm.Quant.Execution;
using AgentFirm.Core;
using AgentFirm.Dashboard.Model;
using AgentFirm.Quant.Metrics;

namespace AgentFirm.Dashboard.Tests;

/// <summary>
/// A test double for the firm: a deterministic synthetic equity curve, a few decision steps over two
/// symbols (with approvals, a shrink and a veto), and <see cref="PublishNextStep"/> to play the firm
/// taking one more step, which replaces the snapshot and fires <see cref="Changed"/>.
/// </summary>
public sealed class SampleFirmMonitor : IFirmMonitor, IRiskControls
{
    public const double InitialEquity = 100_000;
    private static readonly string[] Symbols = ["BTC-USD", "ETH-USD"];
    private static readonly string[] Agents = ["technical", "sentiment", "on-chain", "causal-feature"];
    private static readonly DateTimeOffset Origin = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly Lock gate = new();
    private readonly List<EquityPoint> equity = [];
    private readonly List<DecisionStepRow> steps = []; // latest first
    private readonly List<VetoRow> vetoes = [];        // latest first
    private readonly List<AuditEntry> audit = [];      // latest first
    private readonly AgentTracker agents = new();
    private bool killSwitch;
    private FirmSnapshot current = FirmSnapshot.Empty;
    private double peak = InitialEquity;

    public SampleFirmMonitor(int equityPoints = 240, int initialSteps = 5)
    {
        // The last steps each get their own bar, so the agents' calls have time to resolve.
        for (var i = 0; i < equityPoints - initialSteps; i++) AppendEquity(i);
        for (var s = 0; s < initialSteps; s++)
        {
            AppendEquity(equity.Count);
            AddStep();
        }
        current = Build();
    }

    public FirmSnapshot Current => Volatile.Read(ref current);

    public IReadOnlyList<BacktestRunSummary> Backtests { get; } = [SampleBacktest()];

    public event Action? Changed;

    /// <summary>The sample run opened: the sample's own equity curve stands in for the run's.</summary>
    public BacktestRunDetail? OpenBacktest(string id) =>
        Backtests.FirstOrDefault(r => r.Id == id) is { } run
            ? new BacktestRunDetail(run, Current.Equity, 212, "{\n  \"fast\": 20,\n  \"slow\": 50\n}")
            {
                Execution = [new AlgorithmShortfall("market", 594, 18_286_824.49, 0.9965, 12.58, 12.62, 12.58, 23_080.74), new AlgorithmShortfall("vwap", 302, 9_000_000, 0.959, 48.0, 48.51, 42.05, 38_288)],
            }
            : null;

    /// <summary>The firm takes one more step: a new equity point and decision step; subscribers are told.</summary>
    public DecisionStepRow PublishNextStep()
    {
        DecisionStepRow step;
        lock (gate)
        {
            AppendEquity(equity.Count);
            step = AddStep();
            Volatile.Write(ref current, Build());
        }
        Changed?.Invoke();
        return step;
    }

    public int SubscriberCount => Changed?.GetInvocationList().Length ?? 0;

    public Task EngageKillSwitchAsync(string operatorName, string reason) => Operate(operatorName, "kill switch", reason, engaged: true);

    public Task ResetAsync(string operatorName) => Operate(operatorName, "reset", "lifted the kill switch", engaged: false);

    /// <summary>Plays the risk agent: the switch flips at once and the action is audited.</summary>
    private Task Operate(string who, string action, string detail, bool engaged)
    {
        lock (gate)
        {
            killSwitch = engaged;
            audit.Insert(0, new AuditEntry(Origin, steps.Count, who, action, detail));
            Volatile.Write(ref current, Build());
        }
        Changed?.Invoke();
        return Task.CompletedTask;
    }

    /// <summary>The sample's mark for a symbol at a bar: a slow wave, so calls resolve both ways.</summary>
    private static double MarkAt(string symbol, int bar) => (symbol == "BTC-USD" ? 92_000 : 3_100) * (1 + 0.02 * Math.Sin(bar / 3.0 + symbol.Length));

    private static DateTimeOffset TimeOf(int bar) => Origin.AddHours(bar);

    private void AppendEquity(int i)
    {
        // A drift with two waves: enough shape to see a curve and a couple of drawdowns.
        var value = InitialEquity * (1 + 0.0004 * i + 0.03 * Math.Sin(i / 17.0) + 0.012 * Math.Sin(i / 4.3));
        peak = Math.Max(peak, value);
        equity.Add(new EquityPoint(TimeOf(i), value, 1 - value / peak) { Gross = 0.4 + 0.2 * Math.Sin(i / 9.0), Net = 0.1 * Math.Sin(i / 5.0) });
    }

    private DecisionStepRow AddStep()
    {
        var number = steps.Count + 1L;
        var bar = equity.Count - 1;
        var time = TimeOf(bar);
        var views = new List<AgentView>();
        foreach (var symbol in Symbols)
            for (var a = 0; a < Agents.Length; a++)
            {
                var direction = Math.Round(Math.Sin(number * 0.9 + a + symbol.Length), 2);
                views.Add(new AgentView(Agents[a], symbol, time, direction, 0.4 + 0.1 * a, TimeSpan.FromHours(4 * (a + 1)),
                    [new Evidence("rsi_14", 40 + 5 * a), new Evidence("z_score", direction * 1.5)],
                    $"{Agents[a]} reads {(direction >= 0 ? "strength" : "weakness")} in {symbol}"));
            }
        var weights = Agents.Select((agent, a) => (agent, weight: 0.4 - 0.08 * a)).ToDictionary(x => x.agent, x => x.weight);
        var decisions = Symbols.Select(symbol =>
        {
            var direction = views.Where(v => v.Symbol == symbol).Sum(v => v.Direction * weights[v.Agent]);
            return new MetaDecisionRow(symbol, Math.Round(direction, 3), 0.55,
                number % 3 == 0 ? DecisionSource.Mind : DecisionSource.Quant,
                $"Weighted views point {(direction >= 0 ? "up" : "down")} for {symbol}",
                direction >= 0 ? $"weight +{direction / 4:0.000} for {symbol}" : $"bearish on {symbol} but spot is long-only: flat");
        }).ToList();
        var verdicts = decisions.Select((d, k) =>
        {
            var proposed = Math.Round(d.Direction * (k == 0 ? 0.5 : 8), 4);
            var action = (number + k) % 4 == 0 ? RiskAction.Veto : (number + k) % 3 == 0 ? RiskAction.Shrink : RiskAction.Approve;
            var approved = action switch { RiskAction.Veto => 0, RiskAction.Shrink => Math.Round(proposed / 2, 4), _ => proposed };
            var reason = action switch
            {
                RiskAction.Veto => "gross exposure would exceed 150% of equity",
                RiskAction.Shrink => "risk per trade capped at 2% of equity",
                _ => "within limits",
            };
            return new RiskVerdictRow(d.Symbol, action, proposed, approved, reason);
        }).ToList();
        var step = new DecisionStepRow(number, time, views, weights, decisions, verdicts, (Regime)(number % 3))
        {
            Dropped = number % 4 == 0 ? ["causal-feature"] : [],
            Fills = [new Fill(number, "BTC-USD", OrderSide.Buy, 0.01, MarkAt("BTC-USD", bar), 0.55, 0.1, false, time)],
        };
        agents.Observe(step, symbol => MarkAt(symbol, bar));
        steps.Insert(0, step);
        foreach (var v in verdicts.Where(v => v.Action == RiskAction.Veto))
            vetoes.Insert(0, new VetoRow(time, number, v.Symbol, v.ProposedQuantity, v.Reason));
        return step;
    }

    private FirmSnapshot Build()
    {
        var last = equity[^1];
        var positions = new List<PositionRow>
        {
            new("BTC-USD", 0.35, 91_250, 92_410.5, 0.35 * 92_410.5, 0.35 * (92_410.5 - 91_250)),
            new("ETH-USD", -4.2, 3_120.4, 3_095.1, -4.2 * 3_095.1, -4.2 * (3_095.1 - 3_120.4)),
        };
        var cash = last.Equity - positions.Sum(p => p.MarketValue);
        var gross = positions.Sum(p => Math.Abs(p.MarketValue)) / last.Equity;
        var risk = new RiskStatus(false, null, killSwitch, 0.011, last.Drawdown, DayLossLimit: 0.05, MaxDrawdownLimit: 0.15)
        {
            GrossLimit = 1.5, NetLimit = 1.0, ConcentrationLimit = 0.6, TradeRiskLimit = 0.02, LossBudgetUse = 0.5,
            Gross = gross, Net = positions.Sum(p => p.MarketValue) / last.Equity,
            Concentration = positions.Max(p => Math.Abs(p.MarketValue)) / last.Equity,
        };
        return new FirmSnapshot(last.Time, FirmModes.LiveSimulator, [.. equity], positions, [.. steps], [.. vetoes], risk, cash, last.Equity)
        {
            Audit = [.. audit],
            Agents = agents.Records(),
        };
    }

    private static BacktestRunSummary SampleBacktest() => new(
        "run-0001", "firm", ["BTC-USD", "ETH-USD"], "1h",
        new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero),
        new PerformanceMetrics
        {
            InitialEquity = 100_000, FinalEquity = 123_400, TotalReturn = 0.234, Cagr = 0.234, Volatility = 0.31,
            Sharpe = 1.37, Sortino = 1.92, MaxDrawdown = 0.118, Calmar = 1.98, HitRate = 0.54, RoundTrips = 212,
            Fills = 431, FeesPaid = 1_812.55, Periods = 8_783, PeriodsPerYear = 8_760, Years = 1.0,
        });
}
