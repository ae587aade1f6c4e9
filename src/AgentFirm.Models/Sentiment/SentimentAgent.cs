using AgentFirm.Core;
using AgentFirm.Models.Sentiment.Text;

namespace AgentFirm.Models.Sentiment;

/// <summary>
/// The sentiment agent's configuration (AgentFirm:Sentiment), bindable from appsettings: which model scores
/// the text and how the pipeline, index and view are shaped. Defaults are the embedded lexicon set-up.
/// </summary>
public sealed class SentimentAgentSettings
{
    /// <summary>lexicon, trained:PATH or onnx:DIR.</summary>
    public string Model { get; set; } = "lexicon";
    public double WindowHours { get; set; } = 24;
    public double HalfLifeHours { get; set; } = 12;
    /// <summary>
    /// Weight of negative texts relative to positive ones. 1 by default: the meta-controller calibrates each
    /// analyst from outcomes, so an asymmetry the market really has is learned there; one fixed here biases
    /// every reading. Set it above 1 if you believe bad news moves your market more.
    /// </summary>
    public double NegativeWeight { get; set; } = 1.0;
    public double MarketWideWeight { get; set; } = 0.25;
    /// <summary>
    /// Take a side only when volume moves with the sentiment (relative volume sentiment); cash otherwise. Off by
    /// default: it helps only where volume carries the news (SentimentBacktestTests), and a filtered view hides
    /// the reading from the meta-controller, which weighs the evidence itself.
    /// </summary>
    public bool VolumeFilter { get; set; }
    public int VolumeRecentBars { get; set; } = 1;
    public int VolumeBaselineBars { get; set; } = 7;
    /// <summary>Names whose mentions are scored neutral; null = <see cref="PublicFigureFilter.DefaultNames"/> (a bound list replaces them).</summary>
    public string[]? PublicFigures { get; set; }
    public double DuplicateThreshold { get; set; } = 0.7;
    /// <summary>How long a story is remembered for duplicate detection: repeats inside it are syndication, after it a new event.</summary>
    public double DuplicateMemoryDays { get; set; } = 2;
    public double EngagementCap { get; set; } = 4;
    /// <summary>Texts quoted as evidence for a view.</summary>
    public int EvidenceTexts { get; set; } = 3;

    public SentimentModelSpec ModelSpec => SentimentModelSpec.Parse(Model);

    public SentimentIndexOptions IndexOptions => new(TimeSpan.FromHours(WindowHours), TimeSpan.FromHours(HalfLifeHours), NegativeWeight, MarketWideWeight);

    public SentimentAnalystOptions AnalystOptions => SentimentAnalystOptions.Default with
    {
        TopHeadlines = EvidenceTexts,
        VolumeFilter = VolumeFilter,
        Volume = new VolumeSentimentOptions(VolumeRecentBars, VolumeBaselineBars),
    };

    public TextPipelineOptions PipelineOptions => new()
    {
        Normaliser = new TextNormaliserOptions(DecodeSlang: ModelSpec.WantsDecodedSlang),
        Duplicates = new DuplicateOptions(Threshold: DuplicateThreshold, MemoryDays: DuplicateMemoryDays),
        PublicFigures = PublicFigures ?? PublicFigureFilter.DefaultNames,
        Engagement = new EngagementOptions(Cap: EngagementCap),
    };

    /// <summary>Throws a BadInputException naming the AgentFirm:Sentiment key to fix.</summary>
    public void Validate()
    {
        try
        {
            var spec = ModelSpec;
            // Fail at start-up, not at the first decision step, when the configured model is not there.
            if (spec.Kind == SentimentModelKind.Trained && !File.Exists(System.IO.Path.Combine(spec.Path!, TrainedSentimentModel.ModelFile)))
                throw new BadInputException($"Model = {spec}: no {TrainedSentimentModel.ModelFile} in '{System.IO.Path.GetFullPath(spec.Path!)}' (train one with `agentfirm sentiment train`).");
            if (spec.Kind == SentimentModelKind.Onnx && !Directory.Exists(spec.Path!))
                throw new BadInputException($"Model = {spec}: the folder '{System.IO.Path.GetFullPath(spec.Path!)}' does not exist.");
            if (!(WindowHours > 0) || !(HalfLifeHours > 0)) throw new BadInputException("WindowHours and HalfLifeHours must be positive.");
            if (!(DuplicateThreshold is > 0 and <= 1)) throw new BadInputException($"DuplicateThreshold must be in (0, 1], got {DuplicateThreshold}.");
            if (!(DuplicateMemoryDays > 0) || !double.IsFinite(DuplicateMemoryDays)) throw new BadInputException($"DuplicateMemoryDays must be positive, got {DuplicateMemoryDays}.");
            IndexOptions.Validate();
            AnalystOptions.Validate();
            PipelineOptions.Validate();
        }
        catch (BadInputException ex)
        {
            throw new BadInputException($"Configuration error in AgentFirm:Sentiment: {ex.Message}");
        }
    }
}

/// <summary>
/// The sentiment agent's state and logic behind the grain: texts go through the pipeline into the as-of
/// index, bars are kept for the volume reading, and a view per asset comes from the analyst. Not thread-safe.
/// </summary>
public sealed class SentimentAgent
{
    private readonly TextPipeline _pipeline;
    private readonly HeadlineSentimentIndex _index;
    private readonly SentimentAnalyst _analyst;
    private readonly Dictionary<string, List<Bar>> _bars = new(StringComparer.Ordinal);
    private readonly int _barsKept;

    public SentimentAgent(SentimentAgentSettings settings, OnnxScorerLoader? onnx = null) : this(settings, settings.ModelSpec.Load(onnx)) { }

    public SentimentAgent(SentimentAgentSettings settings, ISentimentScorer scorer)
    {
        settings.Validate();
        _pipeline = new TextPipeline(scorer, settings.PipelineOptions);
        _index = new HeadlineSentimentIndex(scorer, settings.IndexOptions);
        _analyst = new SentimentAnalyst(_index, settings.AnalystOptions);
        _barsKept = settings.AnalystOptions.VolumeOptions.BarsNeeded + 60; // + the price-volatility window
    }

    public PipelineReport Report => _pipeline.Report;

    public void Ingest(IEnumerable<SocialPost> posts)
    {
        foreach (var scored in _pipeline.Process(posts).Kept) _index.Add(scored);
    }

    public void OnBar(string symbol, Bar bar)
    {
        if (!_bars.TryGetValue(symbol, out var list)) _bars[symbol] = list = [];
        if (list.Count > 0 && bar.Time <= list[^1].Time) return; // a repeated or late bar changes nothing already read
        list.Add(bar);
        if (list.Count > 2 * _barsKept) list.RemoveRange(0, list.Count - _barsKept);
    }

    public AgentView Assess(string symbol, DateTimeOffset asOf) =>
        _analyst.Assess(symbol, asOf, _bars.TryGetValue(symbol, out var bars) ? System.Runtime.InteropServices.CollectionsMarshal.AsSpan(bars) : default);
}
