using System.Globalization;
using AgentFirm.Core;

namespace AgentFirm.Models.Sentiment;

/// <param name="Gain">Direction = clamp(Gain x S): the index is already in [-1, 1]; a gain above 1 lets a moderate consensus count fully.</param>
/// <param name="MaxDirection">Cap on |direction|, so no batch of text alone can push the firm to an extreme.</param>
/// <param name="ConfidenceWeight">Weight sum at which confidence reaches one half (w / (w + this)): few or stale headlines mean low confidence.</param>
/// <param name="TopHeadlines">How many of the strongest headlines become evidence.</param>
/// <param name="VolumeFilter">Relative volume sentiment: take a side only when the direction of volume change agrees with the sentiment's; cash otherwise. Needs bars.</param>
/// <param name="Volume">How the volume change and the price's tone are measured.</param>
public sealed record SentimentAnalystOptions(
    TimeSpan Horizon,
    double Gain = 1.5,
    double MaxDirection = 0.8,
    double ConfidenceWeight = 2.0,
    int TopHeadlines = 3,
    bool VolumeFilter = false,
    VolumeSentimentOptions? Volume = null)
{
    public VolumeSentimentOptions VolumeOptions => Volume ?? VolumeSentimentOptions.Default;

    public static SentimentAnalystOptions Default { get; } = new(TimeSpan.FromDays(1));

    public void Validate()
    {
        if (Horizon <= TimeSpan.Zero) throw new BadInputException($"Sentiment horizon must be positive, got {Horizon}.");
        if (!(Gain > 0) || !double.IsFinite(Gain)) throw new BadInputException($"Sentiment gain must be positive, got {Gain}.");
        if (!(MaxDirection is > 0 and <= 1)) throw new BadInputException($"Sentiment max direction must be in (0, 1], got {MaxDirection}.");
        if (!(ConfidenceWeight > 0) || !double.IsFinite(ConfidenceWeight)) throw new BadInputException($"Sentiment confidence weight must be positive, got {ConfidenceWeight}.");
        if (TopHeadlines is < 0 or > 20) throw new BadInputException($"Top headlines must be 0 to 20, got {TopHeadlines}.");
        VolumeOptions.Validate();
    }
}

/// <summary>
/// The sentiment analyst: reads the as-of headline index for an asset and turns it into a view, explained
/// by the headlines that weighed most. Headline text appears in evidence notes and the rationale as quoted
/// data; whatever it says, it moves the view only through its lexicon tone, capped at <see cref="SentimentAnalystOptions.MaxDirection"/>.
/// </summary>
public sealed class SentimentAnalyst
{
    public const string AgentName = "sentiment";
    private const int QuoteLength = 160;

    private readonly HeadlineSentimentIndex _index;
    private readonly SentimentAnalystOptions _options;

    public SentimentAnalyst(HeadlineSentimentIndex index, SentimentAnalystOptions? options = null)
    {
        _index = index;
        _options = options ?? SentimentAnalystOptions.Default;
        _options.Validate();
    }

    public SentimentAnalystOptions Options => _options;

    /// <summary>
    /// The view at <paramref name="asOf"/>. With <paramref name="bars"/> (the asset's bars in time order; only those
    /// closed by <paramref name="asOf"/> are read) the evidence adds volume change, RVS, the price's tone and the
    /// divergence, and with <see cref="SentimentAnalystOptions.VolumeFilter"/> a negative RVS means cash.
    /// </summary>
    public AgentView Assess(string symbol, DateTimeOffset asOf, ReadOnlySpan<Bar> bars = default)
    {
        var reading = _index.At(symbol, asOf, _options.TopHeadlines);
        if (!reading.HasValue)
            return AgentView.Neutral(AgentName, symbol, asOf, _options.Horizon, $"No headlines for {symbol} in the last {_index.Options.Window.TotalHours:0} h.");

        var direction = Math.Clamp(_options.Gain * reading.Value, -_options.MaxDirection, _options.MaxDirection);
        var confidence = reading.WeightSum / (reading.WeightSum + _options.ConfidenceWeight);
        var evidence = new List<Evidence>
        {
            new("sentiment_index", reading.Value, $"weighted mean tone over {_index.Options.Window.TotalHours:0} h, half-life {_index.Options.HalfLife.TotalHours:0} h"),
            new("headline_count", reading.Count),
            new("weight_sum", reading.WeightSum),
        };
        var velocity = _index.Velocity(symbol, asOf, _options.Horizon);
        if (double.IsFinite(velocity)) evidence.Add(new Evidence("sentiment_velocity", velocity, $"change of the index over {_options.Horizon.TotalHours:0} h"));

        string? volumeNote = null;
        var signals = bars.IsEmpty ? null : RelativeVolumeSentiment.Compute(reading.Value, bars, asOf, _options.VolumeOptions);
        if (signals is not null)
        {
            evidence.Add(new Evidence("volume_change", signals.VolumeChange, $"ln(mean volume of last {_options.VolumeOptions.RecentBars} bars / previous {_options.VolumeOptions.BaselineBars})"));
            evidence.Add(new Evidence("rvs", signals.Rvs, "relative volume sentiment: > 0 when volume moves with the sentiment"));
            evidence.Add(new Evidence("price_divergence", signals.Divergence, "sentiment minus the price's own tone"));
        }
        if (_options.VolumeFilter)
        {
            if (signals is null)
            {
                direction = 0;
                volumeNote = "too few closed bars to read volume: cash";
            }
            else if (!signals.VolumeAgrees)
            {
                direction = 0;
                volumeNote = string.Create(CultureInfo.InvariantCulture, $"volume {(signals.VolumeChange >= 0 ? "rising" : "falling")} against the sentiment (RVS {signals.Rvs:+0.00;-0.00;0.00}): cash");
            }
        }
        foreach (var c in reading.Contributors)
            evidence.Add(new Evidence("headline_score", c.Item.Sentiment.Score,
                $"w={c.Weight.ToString("0.00", CultureInfo.InvariantCulture)} {c.Item.Headline.Time:yyyy-MM-ddTHH:mmZ} \"{Quote(c.Item.Headline.Text)}\"{(c.Item.Note is null ? "" : $" ({c.Item.Note})")}"));

        var rationale = string.Create(CultureInfo.InvariantCulture,
            $"Headline sentiment {reading.Value:+0.00;-0.00;0.00} from {reading.Count} headlines");
        if (reading.Contributors.Count > 0)
        {
            var top = reading.Contributors[0].Item;
            rationale += string.Create(CultureInfo.InvariantCulture, $"; strongest: \"{Quote(top.Headline.Text)}\" ({top.Sentiment.Score:+0.00;-0.00;0.00})");
        }
        if (volumeNote is not null) rationale += "; " + volumeNote;
        return new AgentView(AgentName, symbol, asOf, direction, confidence, _options.Horizon, evidence, rationale + ".").Sanitised();
    }

    /// <summary>Headline text as a one-line, length-capped quote (data, never instructions).</summary>
    private static string Quote(string text)
    {
        var oneLine = text.ReplaceLineEndings(" ").Replace('"', '\'');
        return oneLine.Length <= QuoteLength ? oneLine : oneLine[..QuoteLength] + "…";
    }
}
