using System.Globalization;
using System.Text.RegularExpressions;
using AgentFirm.Core;

namespace AgentFirm.Dashboard.Model;

/// <summary>The strategic agent's probabilities of the four regimes at one step (they sum to one).</summary>
public sealed record RegimeOdds(double Calm, double Normal, double Turbulent, double Crisis);

/// <summary>What the sentiment text pipeline kept and dropped so far, with the count per drop reason.</summary>
public sealed record TextPipelineSummary(int Input, int Kept, int Neutralised, IReadOnlyDictionary<string, int> Dropped);

/// <summary>One lagged causal parent of a symbol's return, as the causal analyst last reported it.</summary>
/// <param name="Strength">The link's correlation with the next return (its sign is the direction of the effect).</param>
/// <param name="DriverZ">Where the driver stands now, as a z-score: what the link is saying at this step.</param>
public sealed record CausalLink(string Driver, int Lag, double Strength, double DriverZ, string Note);

/// <summary>A text the sentiment index weighed most at the last step, with its score and the pipeline's note.</summary>
public sealed record TopText(double Score, string Detail);

/// <summary>
/// The analysts' market reading over the held decision steps, read from the evidence each view carries (as-of
/// values the analysts computed at that step, nothing recomputed here). Series are aligned on <see cref="Times"/>,
/// oldest first; NaN where an analyst gave no such evidence at a step.
/// </summary>
public sealed partial class MarketIntelligence
{
    public const string Causal = "causal";
    public const string Sentiment = "sentiment";
    public const string OnChain = "onchain";

    public required string Symbol { get; init; }
    public required IReadOnlyList<DateTimeOffset> Times { get; init; }
    public required IReadOnlyList<double> NetworkDensity { get; init; }
    public required IReadOnlyList<double> SentimentIndex { get; init; }
    public required IReadOnlyList<double> SentimentVelocity { get; init; }
    public required IReadOnlyList<double> Rvs { get; init; }
    public required IReadOnlyList<double> MvrvZ { get; init; }
    public required IReadOnlyList<double> Sopr { get; init; }
    public required IReadOnlyList<double> NetflowPressure { get; init; }
    public required IReadOnlyList<RegimeOdds?> Odds { get; init; }
    /// <summary>The causal parents at the newest step that had any (<see cref="LinksAsOf"/>); the rationale is the last step's.</summary>
    public required IReadOnlyList<CausalLink> Links { get; init; }
    public DateTimeOffset? LinksAsOf { get; init; }
    public required IReadOnlyList<TopText> TopTexts { get; init; }
    /// <summary>The on-chain analyst's valuation regime at the last step (undervalued, neutral, overvalued), if it had one.</summary>
    public string? ValuationRegime { get; init; }
    public Regime? Regime { get; init; }
    public string? CausalRationale { get; init; }
    public string? SentimentRationale { get; init; }
    public string? OnChainRationale { get; init; }

    /// <summary>Every symbol any analyst gave a view on in <paramref name="latestFirst"/>.</summary>
    public static IReadOnlyList<string> Symbols(IReadOnlyList<DecisionStepRow> latestFirst) =>
        latestFirst.Take(1).SelectMany(r => r.Views).Select(v => v.Symbol).Distinct().Order(StringComparer.Ordinal).ToArray();

    /// <summary>The reading for one symbol from the held steps (latest first, as the monitor holds them).</summary>
    public static MarketIntelligence From(IReadOnlyList<DecisionStepRow> latestFirst, string symbol)
    {
        var rows = latestFirst.Reverse().ToArray();
        AgentView? ViewOf(DecisionStepRow row, string agent) => row.Views.FirstOrDefault(v => v.Agent == agent && v.Symbol == symbol);
        double[] Series(string agent, params string[] names) => rows.Select(r =>
            ViewOf(r, agent)?.Evidence.FirstOrDefault(e => names.Contains(e.Name)) is { } e ? e.Value : double.NaN).ToArray();

        var last = rows.Length > 0 ? rows[^1] : null;
        var causal = last is null ? null : ViewOf(last, Causal);
        // The screen finds no parent at many steps; the graph shows the newest step at which it found some.
        var withLinks = rows.Reverse().Select(r => (r.Time, View: ViewOf(r, Causal)))
            .FirstOrDefault(x => x.View is not null && x.View.Evidence.Any(e => ParseLink(e) is not null));
        var sentiment = last is null ? null : ViewOf(last, Sentiment);
        var onChain = last is null ? null : ViewOf(last, OnChain);
        var valuation = onChain?.Evidence.FirstOrDefault(e => e.Name is "mvrv_z" or "mvrv_ratio_z")?.Note;
        return new MarketIntelligence
        {
            Symbol = symbol,
            Times = rows.Select(r => r.Time).ToArray(),
            NetworkDensity = Series(Causal, "network_density"),
            SentimentIndex = Series(Sentiment, "sentiment_index"),
            SentimentVelocity = Series(Sentiment, "sentiment_velocity"),
            Rvs = Series(Sentiment, "rvs"),
            MvrvZ = Series(OnChain, "mvrv_z", "mvrv_ratio_z"),
            Sopr = Series(OnChain, "sopr_mean"),
            NetflowPressure = Series(OnChain, "netflow_pressure_z"),
            Odds = rows.Select(r => r.Odds).ToArray(),
            Links = withLinks.View is null ? [] : withLinks.View.Evidence.Select(ParseLink).OfType<CausalLink>().OrderByDescending(l => Math.Abs(l.Strength)).ToArray(),
            LinksAsOf = withLinks.View is null ? null : withLinks.Time,
            TopTexts = sentiment is null ? [] : sentiment.Evidence.Where(e => e.Name == "headline_score").Select(e => new TopText(e.Value, e.Note ?? "")).ToArray(),
            ValuationRegime = valuation is not null && RegimeWord().Match(valuation) is { Success: true } m ? m.Groups[1].Value : null,
            Regime = last?.Regime,
            CausalRationale = causal?.Rationale,
            SentimentRationale = sentiment?.Rationale,
            OnChainRationale = onChain?.Rationale,
        };
    }

    /// <summary>
    /// A causal parent as the causal analyst names its evidence: "driver[t-lag]" with the value the driver's z and
    /// the note starting "corr +0.123, p ...". Other evidence (the network density) is not a link.
    /// </summary>
    internal static CausalLink? ParseLink(Evidence e)
    {
        if (LinkName().Match(e.Name) is not { Success: true } name) return null;
        var strength = e.Note is not null && Correlation().Match(e.Note) is { Success: true } c
            ? double.Parse(c.Groups[1].Value, CultureInfo.InvariantCulture)
            : double.NaN;
        return new CausalLink(name.Groups[1].Value, int.Parse(name.Groups[2].Value, CultureInfo.InvariantCulture), strength, e.Value, e.Note ?? "");
    }

    [GeneratedRegex(@"^(.+)\[t-(\d+)\]$")]
    private static partial Regex LinkName();

    [GeneratedRegex(@"corr ([+-]?\d+(?:\.\d+)?)")]
    private static partial Regex Correlation();

    [GeneratedRegex(@"regime (\w+)")]
    private static partial Regex RegimeWord();
}
