using AgentFirm.Agents;
using AgentFirm.Core;
using AgentFirm.Market.Data;
using AgentFirm.Quant.Backtest;
using AgentFirm.Quant.Firm;
using AgentFirm.Quant.Risk;
using AgentFirm.Quant.Sizing;
using AgentFirm.Agents.Grains;
using AgentFirm.Llm;
using AgentFirm.Models.Sentiment;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace AgentFirm.Host;

/// <summary>
/// The "AgentFirm" section of appsettings.json (beside the executable), every key overridable by an
/// environment variable such as AgentFirm__Backtest__TakerFeeBps=7.5. Command-line flags win over both.
/// </summary>
public sealed class AgentFirmSettings
{
    public MarketSettings Market { get; set; } = new();
    public BacktestSettings Backtest { get; set; } = new();
    /// <summary>The risk grain's limits (AgentFirm:Risk), bound straight onto the engine's own record; fixed when the silo starts.</summary>
    public RiskLimits Risk { get; set; } = new();
    public LiveSettings Live { get; set; } = new();
    /// <summary>The sentiment agent (AgentFirm:Sentiment): Model = lexicon | trained:PATH | onnx:DIR, and the pipeline's options.</summary>
    public SentimentAgentSettings Sentiment { get; set; } = new();
    /// <summary>The tactical agent's sizing (AgentFirm:Tactical): target volatility, method, caps, the no-trade band's cost.</summary>
    public TacticalOptions Tactical { get; set; } = new();
    /// <summary>The analysts the meta-controller consults (AgentFirm:Analysts: technical, sentiment, onchain, causal); empty = all.</summary>
    public string[] Analysts { get; set; } = [];
    /// <summary>How the meta-controller learns trust and calibrates (AgentFirm:Evidence).</summary>
    public EvidenceOptions Evidence { get; set; } = new();
    /// <summary>The strategic agent (AgentFirm:Strategic): Model = hmm | gmm | volatility, its fitting schedule and the risk budget per regime.</summary>
    public StrategicSettings Strategic { get; set; } = new();
    /// <summary>How the execution agent works orders (AgentFirm:Execution: Mode = naive | chosen) and the risk agent's VPIN toxicity rule; naive and off by default.</summary>
    public ExecutionSettings Execution { get; set; } = new();
    /// <summary>The technical analyst's forecasting tool (AgentFirm:Forecaster); none by default.</summary>
    public ForecasterSettings Forecaster { get; set; } = new();

    /// <summary>Where the embedded SQLite database (grain state, ledgers) lives; created on first start.</summary>
    public string DataFolder { get; set; } = "data";

    /// <summary>Where backtest reports are looked for by the dashboard's backtests page.</summary>
    public string ReportsFolder { get; set; } = "out";

    /// <summary>The dashboard's address (bind address and port).</summary>
    public string DashboardUrls { get; set; } = "http://127.0.0.1:5080";

    /// <summary>Orleans silo and gateway ports on loopback; 0 (the default) picks free ones, so two hosts never clash.</summary>
    public int SiloPort { get; set; }
    public int GatewayPort { get; set; }

    /// <summary>The whole configuration, for sections other libraries bind themselves (AgentFirm:Llm).</summary>
    public IConfiguration Configuration { get; private set; } = new ConfigurationBuilder().Build();

    private static readonly AsyncLocal<IReadOnlyList<KeyValuePair<string, string?>>?> Ambient = new();

    /// <summary>
    /// Settings that win over the file and the environment for the calls made in this async flow (until disposed):
    /// what an environment variable does for one process, scoped to one in-process command, so tests of the command
    /// line can vary AgentFirm:* keys without touching the environment other tests share.
    /// </summary>
    public static IDisposable Override(IEnumerable<KeyValuePair<string, string?>> values)
    {
        var previous = Ambient.Value;
        var merged = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in (previous ?? []).Concat(values)) merged[key] = value; // the inner scope wins, as a later provider would
        Ambient.Value = [.. merged];
        return new Restore(() => Ambient.Value = previous);
    }

    private sealed class Restore(Action undo) : IDisposable
    {
        public void Dispose() => undo();
    }

    public static AgentFirmSettings Load(IEnumerable<KeyValuePair<string, string?>>? overrides = null)
    {
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
            .AddEnvironmentVariables()
            .AddInMemoryCollection(Ambient.Value ?? [])
            .AddInMemoryCollection(overrides ?? [])
            .Build();
        var settings = new AgentFirmSettings { Configuration = configuration };
        try
        {
            configuration.GetSection("AgentFirm").Bind(settings);
        }
        catch (InvalidOperationException ex)
        {
            throw ConfigurationErrors.Translate(ex, "the AgentFirm section");
        }
        settings.Validate();
        return settings;
    }

    /// <summary>The FinBERT runner's loader for an onnx:DIR sentiment model, its options bound from AgentFirm:Sentiment.</summary>
    public OnnxScorerLoader SentimentOnnxLoader(ILoggerFactory? loggers = null) => OnnxSentimentModels.Loader(Configuration, loggers);

    /// <summary>
    /// The meta-controller's mind from AgentFirm:Llm (offline unless an endpoint is configured). Prompts are read
    /// at every step from PromptsFolder resolved against the working directory (the checkout's prompts/ when run
    /// from the repository root), never from a copy made at build time. <paramref name="stats"/> receives the
    /// mind's counts (calls, fallbacks by reason, retries) for the run's summary.
    /// </summary>
    public IMind CreateMind(ILoggerFactory loggers, MindStats? stats = null) => AgentFirm.Llm.Minds.Create(Llm(), loggers, Environment.CurrentDirectory, stats);

    /// <summary>
    /// Every role's mind (AgentFirm:Minds over AgentFirm:Llm), sharing the run's cassettes and cost meter; offline
    /// everywhere unless configured. <paramref name="metaStats"/> receives the meta-controller's counts.
    /// </summary>
    public FirmMinds CreateFirmMinds(ILoggerFactory loggers, MindStats? metaStats = null) =>
        AgentFirm.Llm.Minds.CreateFirm(Minds(), loggers, Environment.CurrentDirectory, metaStats);

    /// <summary>AgentFirm:Minds as the minds will read it, prompts loaded; a bad role, kind, tier or prompt is exit 2 naming the key.</summary>
    public MindsOptions Minds()
    {
        var llm = Llm();
        try
        {
            var minds = MindsOptions.From(Configuration, llm);
            minds.CheckPrompts(Environment.CurrentDirectory);
            return minds;
        }
        catch (InvalidOperationException ex) when (ex.Message.StartsWith("AgentFirm:", StringComparison.Ordinal))
        {
            throw new BadInputException($"Configuration error: {ex.Message}");
        }
    }

    /// <summary>The analysts a firm can consult, by the names their views carry.</summary>
    public static readonly string[] KnownAnalysts = ["technical", "sentiment", "onchain", "causal"];

    /// <summary>The one-way cost of an aggressive trade under the backtest's cost settings (taker fee + half the spread + slippage), in basis points.</summary>
    public double OneWayCostBps => Backtest.TakerFeeBps + Backtest.SpreadBps / 2 + Backtest.SlippageBps;

    /// <summary>The meta-controller's settings for a silo: how it learns trust, and the analysts it consults (the argument, else AgentFirm:Analysts, else all).</summary>
    public FirmOptions FirmOptions(IReadOnlyList<string>? analysts = null) => new() { Evidence = Evidence, Analysts = analysts ?? (Analysts.Length > 0 ? Analysts : null) };

    /// <summary>AgentFirm:Llm as the mind will read it; checked with the rest so a bad mind fails before any data loads or silo starts.</summary>
    public LlmOptions Llm()
    {
        try
        {
            return LlmOptions.From(Configuration); // its prompts are checked with every role's in Minds()
        }
        catch (InvalidOperationException ex) when (ex.Message.StartsWith(LlmOptions.Section, StringComparison.Ordinal))
        {
            throw new BadInputException($"Configuration error: {ex.Message}");
        }
        catch (InvalidOperationException ex)
        {
            throw ConfigurationErrors.Translate(ex, LlmOptions.Section);
        }
    }

    public void Validate()
    {
        try
        {
            Backtest.ToOptions().Validate();
        }
        catch (ArgumentException ex)
        {
            throw new BadInputException($"Configuration error in AgentFirm:Backtest: {ex.Message}");
        }
        try
        {
            Risk.Validate();
        }
        catch (ArgumentException ex)
        {
            throw new BadInputException($"Configuration error in AgentFirm:Risk: {ex.Message}");
        }
        try
        {
            Tactical.Validate();
            Evidence.Validate();
        }
        catch (ArgumentException ex)
        {
            throw new BadInputException($"Configuration error: {ex.Message}");
        }
        foreach (var analyst in Analysts)
            if (!KnownAnalysts.Contains(analyst, StringComparer.OrdinalIgnoreCase))
                throw new BadInputException($"Configuration error: AgentFirm:Analysts has '{analyst}'; valid analysts are {string.Join(", ", KnownAnalysts)}.");
        Sentiment.Validate();
        try
        {
            Strategic.Validate();
            Execution.Validate();
        }
        catch (ArgumentException ex)
        {
            throw new BadInputException($"Configuration error: {ex.Message}");
        }
        Forecaster.Validate();
        if (Sentiment.ModelSpec.Kind == SentimentModelKind.Onnx) OnnxSentimentModels.Options(Configuration);
        Minds();
        if (!(Live.Speed > 0)) throw new BadInputException("Configuration error: AgentFirm:Live:Speed must be a positive number of steps per second.");
        if (Market.SpikeThreshold < 0) throw new BadInputException("Configuration error: AgentFirm:Market:SpikeThreshold must be >= 0 (0 turns the check off).");
    }
}

/// <summary>The live session on the simulator (AgentFirm:Live).</summary>
public sealed class LiveSettings
{
    /// <summary>Decision steps per second of wall time.</summary>
    public double Speed { get; set; } = 5;
    public int Days { get; set; } = 365;
    public long Seed { get; set; } = 42;
}

public sealed class MarketSettings
{
    /// <summary>Fail, CarryForward (mark and carry forward) or Skip.</summary>
    public GapPolicy GapPolicy { get; set; } = GapPolicy.CarryForward;
    public double SpikeThreshold { get; set; } = 10;
}

public sealed class BacktestSettings
{
    public double InitialCash { get; set; } = 100_000;
    public double TakerFeeBps { get; set; } = 10;
    public double MakerFeeBps { get; set; } = 10;
    public double SpreadBps { get; set; } = 2;
    public double SlippageBps { get; set; }
    public double ImpactBps { get; set; } = 50;
    public int LatencyBars { get; set; } = 1;
    public double ParticipationCap { get; set; } = 0.1;
    public double MaxLeverage { get; set; } = 1;
    public double FundingRatePer8h { get; set; } = 0.0001;

    public BacktestOptions ToOptions() => new()
    {
        InitialCash = InitialCash,
        LatencyBars = LatencyBars,
        ParticipationCap = ParticipationCap,
        MaxLeverage = MaxLeverage,
        Funding = new ConstantFundingRate(FundingRatePer8h),
        Costs = new CostModel
        {
            TakerFeeBps = TakerFeeBps,
            MakerFeeBps = MakerFeeBps,
            SpreadBps = SpreadBps,
            SlippageBps = SlippageBps,
            ImpactBps = ImpactBps,
        },
    };
}
