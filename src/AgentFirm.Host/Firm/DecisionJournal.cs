using AgentFirm.Core;
using System.Globalization;
using System.Text;
using AgentFirm.Agents.Contracts;
using AgentFirm.Agents.Firm;
using AgentFirm.Quant.Backtest;
using AgentFirm.Quant.Reporting;

namespace AgentFirm.Host.Firm;

/// <summary>
/// Wraps the firm in a backtest and keeps one line per symbol and step: the meta decision, the regime,
/// the analysts dropped, the risk verdict with its reason, and the tactical agent's sizing note; written as decisions.csv.
/// </summary>
public sealed class DecisionJournal(FirmStrategy firm, double? maxDrawdownLimit = null) : IStrategy, IIntrabarStrategy
{
    /// <summary>Between decisions the firm's risk agent watches the finer bars itself; the journal only passes them on.</summary>
    public ValueTask OnIntrabarAsync(IStrategyContext context, CancellationToken cancellationToken) => firm.OnIntrabarAsync(context, cancellationToken);

    private double _peakEquity;
    private readonly StringBuilder _views = new("step,time,agent,symbol,direction,confidence,horizon_hours,weight,dropped,rationale,evidence\n");

    private readonly StringBuilder _csv = new("step,time,symbol,direction,confidence,source,regime,risk_budget,dropped_agents,verdict,proposed_quantity,approved_quantity,reason,sizing\n");

    public string Name => firm.Name;
    public int Vetoes { get; private set; }

    /// <summary>Targets decided (one per symbol and step).</summary>
    public int Decisions { get; private set; }

    /// <summary>Mean |direction| of the targets: how far from flat the firm leaned, traded or not (a check that an ablation changed anything).</summary>
    public double MeanAbsoluteDirection => Decisions > 0 ? _sumAbsDirection / Decisions : 0;

    private double _sumAbsDirection;

    public async ValueTask OnBarAsync(IStrategyContext context, CancellationToken cancellationToken)
    {
        await firm.OnBarAsync(context, cancellationToken);
        if (firm.LastDecision is not { } d) return;
        _peakEquity = Math.Max(_peakEquity, d.Equity);
        foreach (var view in d.Views) ViewLine(d, view);
        if (d.Halted && Halt is null) Halt = HaltAt(d);
        foreach (var target in d.Targets)
        {
            Decisions++;
            _sumAbsDirection += Math.Abs(target.Direction);
            var verdicts = d.Verdicts.Where(v => v.Proposal.Symbol == target.Symbol).ToList();
            if (verdicts.Count == 0) Line(d, target, null);
            foreach (var v in verdicts)
            {
                Line(d, target, v);
                if (v.Decision == VerdictKind.Veto) Vetoes++;
            }
        }
    }

    public string Csv => _csv.ToString();

    /// <summary>views.csv: each analyst's view per symbol and step, with the weight the meta-controller gave that analyst and its evidence.</summary>
    public string ViewsCsv => _views.ToString();

    private void ViewLine(DecisionRecord d, AgentView v)
    {
        var i = CultureInfo.InvariantCulture;
        var weight = d.Weights.TryGetValue(v.Agent, out var w) ? CsvFormat.Number(w) : "";
        var evidence = string.Join("; ", v.Evidence.Select(e => e.Note is null ? $"{e.Name}={CsvFormat.Number(e.Value)}" : $"{e.Name}={CsvFormat.Number(e.Value)} ({e.Note})"));
        _views.Append(d.Step).Append(',').Append(CsvFormat.Timestamp(d.Time)).Append(',').Append(CsvFormat.Field(v.Agent)).Append(',').Append(v.Symbol).Append(',')
            .Append(v.Direction.ToString("0.####", i)).Append(',').Append(v.Confidence.ToString("0.####", i)).Append(',')
            .Append(v.Horizon.TotalHours.ToString("0.##", i)).Append(',').Append(weight).Append(',')
            .Append(d.DroppedAgents.Contains(v.Agent) ? "true" : "false").Append(',')
            .Append(CsvFormat.Field(v.Rationale)).Append(',').Append(CsvFormat.Field(evidence)).Append('\n');
    }

    /// <summary>The step at which the risk agent first reported the firm halted, or null if it never did.</summary>
    public BacktestHalt? Halt { get; private set; }

    private BacktestHalt HaltAt(DecisionRecord d)
    {
        // The risk engine halts on two things only: a person's kill switch, or equity falling MaxDrawdown below its peak.
        var drawdown = _peakEquity > 0 ? 1 - d.Equity / _peakEquity : 0;
        return d.KillSwitch
            ? new BacktestHalt(d.Time, d.Step, "kill_switch", null, drawdown, d.Equity, _peakEquity, d.HaltReason ?? "kill switch")
            : new BacktestHalt(d.Time, d.Step, "max_drawdown", maxDrawdownLimit, drawdown, d.Equity, _peakEquity, d.HaltReason ?? "max drawdown");
    }

    private void Line(DecisionRecord d, TargetDecision t, RiskVerdictRecord? v)
    {
        var i = CultureInfo.InvariantCulture;
        _csv.Append(d.Step).Append(',').Append(CsvFormat.Timestamp(d.Time)).Append(',').Append(t.Symbol).Append(',')
            .Append(t.Direction.ToString("0.####", i)).Append(',').Append(t.Confidence.ToString("0.####", i)).Append(',').Append(CsvFormat.Field(t.Source)).Append(',')
            .Append(d.Regime.Regime).Append(',').Append(d.Regime.RiskBudget.ToString("0.##", i)).Append(',').Append(string.Join(' ', d.DroppedAgents)).Append(',')
            .Append(v is null ? "" : v.Decision.ToString().ToLowerInvariant()).Append(',')
            .Append(v is null ? "" : CsvFormat.Number(v.Proposal.Quantity)).Append(',')
            .Append(v is null ? "" : CsvFormat.Number(v.ApprovedQuantity)).Append(',')
            .Append(v is null ? "" : CsvFormat.Field(v.Reason)).Append(',')
            .Append(CsvFormat.Field(d.Sizing.FirstOrDefault(n => n.Symbol == t.Symbol)?.Reason ?? "")).Append('\n');
    }
}
