using System.Globalization;
using System.Text;
using AgentFirm.Core;

namespace AgentFirm.Llm;

/// <summary>
/// The default mind: no model, no network. It keeps the quantitative decision and explains it from the
/// strongest evidence, so the firm runs the same with or without an LLM.
/// </summary>
public sealed class OfflineMind : IMind
{
    public Task<MindDecision> SynthesiseAsync(SynthesisRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        ct.ThrowIfCancellationRequested();
        var targets = request.QuantTargets.Select(t => t.Sanitised()).ToArray();
        return Task.FromResult(new MindDecision(
            request.DecisionTime, targets, QuantRationale.For(request, targets), MindSource.Mind));
    }
}

/// <summary>A templated rationale: per asset, the target and the evidence of the view that weighs most.</summary>
internal static class QuantRationale
{
    public static string For(SynthesisRequest request, IReadOnlyList<AssetTarget> targets)
    {
        var text = new StringBuilder();
        foreach (var target in targets)
        {
            if (text.Length > 0) text.Append(' ');
            text.Append(CultureInfo.InvariantCulture,
                $"{target.Symbol}: {Stance(target.Direction)} {target.Direction:+0.00;-0.00;0.00} (confidence {target.Confidence:0.00})");
            // "Strongest" = the view that moves the weighted decision most: |direction| x confidence.
            var strongest = request.ViewsFor(target.Symbol)
                .Select(v => v.Sanitised())
                .OrderByDescending(v => Math.Abs(v.Direction) * v.Confidence)
                .FirstOrDefault();
            if (strongest is null || strongest.Confidence == 0)
            {
                text.Append(", no analyst view.");
                continue;
            }
            text.Append(CultureInfo.InvariantCulture,
                $", led by {strongest.Agent} ({strongest.Direction:+0.00;-0.00;0.00} @ {strongest.Confidence:0.00})");
            var evidence = strongest.Evidence.Take(2)
                .Select(e => string.Create(CultureInfo.InvariantCulture, $"{e.Name}={e.Value:0.####}{(e.Note is null ? "" : $" ({e.Note})")}"))
                .ToArray();
            text.Append(evidence.Length > 0 ? $" on {string.Join(", ", evidence)}." : ".");
        }
        return text.Length > 0 ? text.ToString() : "No assets to decide.";
    }

    private static string Stance(double direction) => direction switch
    {
        > 0.05 => "long",
        < -0.05 => "short",
        _ => "flat",
    };
}
