using AgentFirm.Core;

namespace AgentFirm.Dashboard.Model;

/// <summary>
/// A search over the decision steps the monitor holds: every filter is optional and they all must match.
/// <see cref="Text"/> is matched, case-blind, against rationales, sizing notes and risk reasons.
/// </summary>
public sealed record DecisionQuery
{
    public DateTimeOffset? From { get; init; }
    public DateTimeOffset? To { get; init; }
    public string? Symbol { get; init; }
    public RiskAction? Verdict { get; init; }
    public Regime? Regime { get; init; }
    public string? Text { get; init; }
    public int Skip { get; init; }
    public int Take { get; init; } = 25;

    /// <summary>The matching steps, latest first, and how many matched in all (for the pager).</summary>
    public DecisionPage Apply(IEnumerable<DecisionStepRow> latestFirst)
    {
        var matching = latestFirst.Where(Matches).ToList();
        return new DecisionPage(matching.Skip(Skip).Take(Take).ToArray(), matching.Count);
    }

    public bool Matches(DecisionStepRow step)
    {
        if (From is { } from && step.Time < from) return false;
        if (To is { } to && step.Time > to) return false;
        if (Regime is { } regime && step.Regime != regime) return false;
        if (!string.IsNullOrWhiteSpace(Symbol) && !step.Decisions.Any(d => d.Symbol.Equals(Symbol, StringComparison.OrdinalIgnoreCase))
            && !step.Verdicts.Any(v => v.Symbol.Equals(Symbol, StringComparison.OrdinalIgnoreCase))) return false;
        if (Verdict is { } verdict && !step.Verdicts.Any(v => v.Action == verdict
            && (string.IsNullOrWhiteSpace(Symbol) || v.Symbol.Equals(Symbol, StringComparison.OrdinalIgnoreCase)))) return false;
        return string.IsNullOrWhiteSpace(Text) || Texts(step).Any(t => t.Contains(Text.Trim(), StringComparison.OrdinalIgnoreCase));
    }

    private static IEnumerable<string> Texts(DecisionStepRow step) =>
        step.Decisions.SelectMany(d => new[] { d.Rationale, d.Sizing })
            .Concat(step.Verdicts.Select(v => v.Reason))
            .Concat(step.Views.Select(v => v.Rationale));
}

/// <param name="Total">Steps matching the query, of which <see cref="Rows"/> is one page.</param>
public sealed record DecisionPage(IReadOnlyList<DecisionStepRow> Rows, int Total);
