using AgentFirm.Core;
using System.Globalization;
using System.Text;
using AgentFirm.Agents.Contracts;
using AgentFirm.Agents.Firm;
using AgentFirm.Quant.Backtest;

namespace AgentFirm.Host.Firm;

/// <summary>
/// Wraps the firm in a backtest and keeps one line per symbol and step: the meta decision, the regime,
/// the analysts dropped, the risk verdict with its reason, and the tactical agent's sizing note; written as decisions.csv.
/// </summary>
public sealed class DecisionJournal(FirmStrategy firm) : IStrategy
{
    private readonly StringBuilder _csv = new("step,time,symbol,direction,confidence,source,regime,risk_budget,dropped_agents,verdict,proposed_quantity,approved_quantity,reason,sizing\n");

    public string Name => firm.Name;
    public int Vetoes { get; private set; }

    public async ValueTask OnBarAsync(IStrategyContext context, CancellationToken cancellationToken)
    {
        await firm.OnBarAsync(context, cancellationToken);
        if (firm.LastDecision is not { } d) return;
        foreach (var target in d.Targets)
        {
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
