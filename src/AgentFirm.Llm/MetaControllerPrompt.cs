using System.Globalization;
using System.Text;
using AgentFirm.Core;

namespace AgentFirm.Llm;

/// <summary>
/// Turns a <see cref="SynthesisRequest"/> into the values of prompts/meta-controller.md. Every piece of free
/// text is escaped and flattened to one line, so no headline or rationale can close the block it sits in or
/// pose as a new section of the prompt.
/// </summary>
internal static class MetaControllerPrompt
{
    public const string Role = "meta-controller";
    private const int MaxTextLength = 300;

    public static IReadOnlyDictionary<string, string> Values(SynthesisRequest request, PromptAnonymiser anonymiser, int maxHeadlines)
    {
        var symbols = request.QuantTargets.Select(t => anonymiser.Symbol(t.Symbol)).ToArray();
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["decision_time"] = anonymiser.Time(request.DecisionTime),
            ["regime"] = request.Regime.ToString(),
            ["risk_budget"] = Number(request.RiskBudget),
            ["symbols"] = string.Join(", ", symbols),
            ["quant_targets"] = QuantTargets(request, anonymiser),
            ["views"] = ViewLines(request.QuantTargets.SelectMany(t => request.ViewsFor(t.Symbol)), anonymiser),
            ["headlines"] = Headlines(request.Headlines, request.DecisionTime, anonymiser, maxHeadlines),
            ["agent_weights"] = AgentWeights(request.Firm, anonymiser),
            ["positions"] = Positions(request, anonymiser),
            ["pnl"] = Pnl(request.Firm),
            ["risk_state"] = RiskState(request.Firm, anonymiser),
            ["debate"] = Debate.Transcript(request.Debate ?? [], anonymiser),
        };
    }

    private static string AgentWeights(FirmState? firm, PromptAnonymiser anonymiser) =>
        firm is null || firm.AgentWeights.Count == 0
            ? "(not known)"
            : string.Join(", ", firm.AgentWeights.OrderBy(w => w.Key, StringComparer.Ordinal)
                .Select(w => $"{Safe(w.Key, anonymiser)} {Number(w.Value)}"));

    // One line per asked symbol, flat included, so the model sees the whole book it is steering.
    private static string Positions(SynthesisRequest request, PromptAnonymiser anonymiser)
    {
        if (request.Firm is null) return "(not known)";
        return string.Join('\n', request.QuantTargets.Select(t =>
            $"- {anonymiser.Symbol(t.Symbol)}: {Percent(request.Firm.Exposure.GetValueOrDefault(t.Symbol))} of equity" +
            (request.Firm.Exposure.GetValueOrDefault(t.Symbol) switch { > 0 => " long", < 0 => " short", _ => " (flat)" })));
    }

    private static string Pnl(FirmState? firm) =>
        firm is null ? "(not known)" : $"{Percent(firm.PnlSinceStart)} since the first decision; drawdown from the peak {Percent(firm.Drawdown)}";

    private static string RiskState(FirmState? firm, PromptAnonymiser anonymiser) =>
        firm is null ? "(not known)"
        : firm.Halted ? $"trading halted by the risk agent at the previous step ({Safe(firm.HaltReason ?? "no reason given", anonymiser)})"
        : "trading allowed (no halt at the previous step)";

    private static string Percent(double fraction) =>
        double.IsFinite(fraction) ? (fraction * 100).ToString("+0.##;-0.##;0", CultureInfo.InvariantCulture) + "%" : "n/a";

    private static string QuantTargets(SynthesisRequest request, PromptAnonymiser anonymiser)
    {
        var lines = new StringBuilder();
        foreach (var target in request.QuantTargets.Select(t => t.Sanitised()))
        {
            lines.Append(CultureInfo.InvariantCulture,
                $"- {anonymiser.Symbol(target.Symbol)}: direction {Number(target.Direction)}, confidence {Number(target.Confidence)}");
            if (request.Prices?.TryGetValue(target.Symbol, out var price) == true && double.IsFinite(price))
                lines.Append(CultureInfo.InvariantCulture, $", last price {Number(anonymiser.Price(target.Symbol, price))}");
            lines.Append('\n');
        }
        return lines.ToString().TrimEnd();
    }

    /// <summary>One line per view: symbol, agent, as-of, horizon, direction, confidence, evidence (rebased by unit), escaped rationale.</summary>
    internal static string ViewLines(IEnumerable<AgentView> views, PromptAnonymiser anonymiser)
    {
        var lines = new StringBuilder();
        foreach (var view in views.Select(v => v.Sanitised()))
        {
            var evidence = string.Join(", ", view.Evidence.Select(e =>
                $"{Safe(e.Name, anonymiser)}={Number(anonymiser.Evidence(view.Symbol, e.Name, e.Value))}" +
                (e.Note is null ? "" : $" ({Safe(e.Note, anonymiser)})")));
            lines.Append(CultureInfo.InvariantCulture,
                $"- {anonymiser.Symbol(view.Symbol)} / {Safe(view.Agent, anonymiser)} (as of {anonymiser.Time(view.AsOf)}, horizon {view.Horizon.TotalHours:0.#}h): " +
                $"direction {Number(view.Direction)}, confidence {Number(view.Confidence)}; evidence [{evidence}]; " +
                $"rationale \"{Safe(view.Rationale, anonymiser)}\"\n");
        }
        return lines.Length == 0 ? "(no analyst views)" : lines.ToString().TrimEnd();
    }

    internal static string Headlines(IReadOnlyList<Headline> headlines, DateTimeOffset decisionTime, PromptAnonymiser anonymiser, int maxHeadlines)
    {
        // Only what was known at the decision time, newest first.
        var known = headlines.Where(h => h.Time <= decisionTime)
            .OrderByDescending(h => h.Time).Take(maxHeadlines).ToArray();
        if (known.Length == 0) return "(none)";
        return string.Join('\n', known.Select(h =>
            $"- [{anonymiser.Time(h.Time)}]{(h.Symbol is null ? "" : $" [{anonymiser.Symbol(h.Symbol)}]")} {Safe(h.Text, anonymiser)}"));
    }

    /// <summary>
    /// Untrusted text made inert: anonymised, control characters and line breaks flattened, invisible format characters dropped, markup escaped
    /// (so "&lt;/headlines&gt;" cannot end the block), braces escaped, quotes neutralised, length capped.
    /// </summary>
    internal static string Safe(string text, PromptAnonymiser anonymiser)
    {
        var flat = new StringBuilder(Math.Min(text.Length, MaxTextLength + 1));
        foreach (var c in anonymiser.Text(text))
        {
            if (flat.Length >= MaxTextLength) { flat.Append('…'); break; }
            flat.Append(c switch
            {
                '<' => "&lt;",
                '>' => "&gt;",
                '&' => "&amp;",
                '"' => "'",
                '{' => "(",
                '}' => ")",
                '`' => "'",
                _ when char.IsControl(c) || c is '\u2028' or '\u2029' => " ",
                // Invisible format characters (bidi overrides, zero-width joiners) can make a text read differently
                // from what it holds; they carry nothing a headline needs.
                _ when char.GetUnicodeCategory(c) == UnicodeCategory.Format => "",
                _ => c.ToString(),
            });
        }
        return flat.ToString().Trim();
    }

    internal static string Number(double value) =>
        double.IsFinite(value) ? value.ToString("0.####", CultureInfo.InvariantCulture) : "n/a";
}
