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

    // Evidence names that are price levels (rebased when anonymising); ratios, RSI and the like are left alone.
    private static readonly string[] PriceLevelPrefixes =
        ["close", "open", "high", "low", "price", "last", "sma", "ema", "vwap", "bollinger", "bb_", "support", "resistance", "atr"];

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
            ["views"] = Views(request, anonymiser),
            ["headlines"] = Headlines(request, anonymiser, maxHeadlines),
        };
    }

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

    private static string Views(SynthesisRequest request, PromptAnonymiser anonymiser)
    {
        var lines = new StringBuilder();
        foreach (var target in request.QuantTargets)
        foreach (var view in request.ViewsFor(target.Symbol).Select(v => v.Sanitised()))
        {
            var evidence = string.Join(", ", view.Evidence.Select(e =>
                $"{Safe(e.Name, anonymiser)}={Number(IsPriceLevel(e.Name) ? anonymiser.Price(view.Symbol, e.Value) : e.Value)}" +
                (e.Note is null ? "" : $" ({Safe(e.Note, anonymiser)})")));
            lines.Append(CultureInfo.InvariantCulture,
                $"- {anonymiser.Symbol(view.Symbol)} / {Safe(view.Agent, anonymiser)} (as of {anonymiser.Time(view.AsOf)}, horizon {view.Horizon.TotalHours:0.#}h): " +
                $"direction {Number(view.Direction)}, confidence {Number(view.Confidence)}; evidence [{evidence}]; " +
                $"rationale \"{Safe(view.Rationale, anonymiser)}\"\n");
        }
        return lines.Length == 0 ? "(no analyst views)" : lines.ToString().TrimEnd();
    }

    private static string Headlines(SynthesisRequest request, PromptAnonymiser anonymiser, int maxHeadlines)
    {
        // Only what was known at the decision time, newest first.
        var known = request.Headlines.Where(h => h.Time <= request.DecisionTime)
            .OrderByDescending(h => h.Time).Take(maxHeadlines).ToArray();
        if (known.Length == 0) return "(none)";
        return string.Join('\n', known.Select(h =>
            $"- [{anonymiser.Time(h.Time)}]{(h.Symbol is null ? "" : $" [{anonymiser.Symbol(h.Symbol)}]")} {Safe(h.Text, anonymiser)}"));
    }

    /// <summary>
    /// Untrusted text made inert: anonymised, control characters and line breaks flattened, markup escaped
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
                _ => c.ToString(),
            });
        }
        return flat.ToString().Trim();
    }

    private static bool IsPriceLevel(string name) =>
        PriceLevelPrefixes.Any(p => name.StartsWith(p, StringComparison.OrdinalIgnoreCase));

    private static string Number(double value) =>
        double.IsFinite(value) ? value.ToString("0.####", CultureInfo.InvariantCulture) : "n/a";
}
