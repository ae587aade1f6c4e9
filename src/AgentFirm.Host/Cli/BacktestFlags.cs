using System.CommandLine;
using System.Text.Json.Nodes;
using AgentFirm.Core;
using AgentFirm.Market.Data;
using AgentFirm.Quant.Backtest;

namespace AgentFirm.Host.Cli;

/// <summary>
/// The data, span, warm-up and cost flags that `backtest` and `evaluate` share, declared once so that
/// the two verbs cannot drift apart in what they accept or how they read it.
/// </summary>
public sealed class BacktestFlags
{
    public Option<string> Data { get; } = new("--data") { Description = "A bar file (.csv, .csv.gz, .parquet, Binance klines) or a folder laid out as DIR/<timeframe>/<SYMBOL>.csv[.gz]", Required = true };
    public Option<string?> Symbols { get; } = new("--symbols") { Description = "Comma-separated symbols, e.g. BTC-USDT,ETH-USDT (BTC-USDT-PERP trades a perpetual priced from the BTC-USDT file)" };
    public Option<string> Timeframe { get; } = new("--timeframe") { Description = "Bar interval: 1h, 4h, 1d", DefaultValueFactory = _ => "1d" };
    public Option<string?> From { get; } = new("--from") { Description = "First traded bar (open time), yyyy-MM-dd or ISO-8601, UTC; the warm-up comes before it" };
    public Option<string?> To { get; } = new("--to") { Description = "Last bar (open time); a bare date includes that whole day" };
    public Option<string?> Warmup { get; } = new("--warmup") { Description = $"History replayed before --from so the strategy starts informed, never traded or scored: bars (200), days (200d) or hours (500h); 0 = none. Default {WarmupLength.Default}" };
    public Option<double?> Fee { get; } = new("--fee-bps") { Description = "Taker fee in basis points (maker fee follows unless --maker-fee-bps is given)" };
    public Option<double?> MakerFee { get; } = new("--maker-fee-bps") { Description = "Maker fee in basis points (negative = rebate)" };
    public Option<double?> Slippage { get; } = new("--slippage-bps") { Description = "Fixed slippage on aggressive fills, basis points" };
    public Option<double?> Spread { get; } = new("--spread-bps") { Description = "Quoted bid-ask spread; market orders pay half" };
    public Option<double?> Impact { get; } = new("--impact-bps") { Description = "Impact at 100% of bar volume, scaled by sqrt(participation)" };
    public Option<int?> Latency { get; } = new("--latency-bars") { Description = "Bars between decision and first possible fill (>= 1)" };
    public Option<double?> Participation { get; } = new("--participation") { Description = "Largest share of a bar's volume one order may take, (0, 1]" };
    public Option<double?> Leverage { get; } = new("--leverage") { Description = "Max gross exposure per unit of equity; 1 = cash account, no shorting spot" };
    public Option<double?> Cash { get; } = new("--initial-cash") { Description = "Starting cash in the quote currency" };
    public Option<double?> Funding { get; } = new("--funding-rate") { Description = "Perpetual funding rate per 8h settlement, e.g. 0.0001" };
    public Option<string?> Gaps { get; } = new("--gaps") { Description = "Gap policy: fail, carry (mark and carry forward) or skip" };
    public Option<string> Intrabar { get; } = new("--intrabar") { Description = "auto: trade and check the risk limits on the 1h bars inside coarser bars when the --data folder has them; none: decision bars only", DefaultValueFactory = _ => "auto" };

    public LlmFlags Llm { get; } = new();

    public IEnumerable<Option> All =>
        [Data, Symbols, Timeframe, From, To, Warmup, Fee, MakerFee, Slippage, Spread, Impact, Latency, Participation, Leverage, Cash, Funding, Gaps, Intrabar, .. Llm.All];

    /// <summary>Reads and checks every shared flag; bad input throws <see cref="BadInputException"/> naming the flag.</summary>
    public BacktestSetup Resolve(ParseResult parse)
    {
        var settings = AgentFirmSettings.Load(Llm.Overrides(parse));
        if (parse.GetValue(Gaps) is { } g) settings.Market.GapPolicy = CliParsing.Gaps(g);
        var b = settings.Backtest;
        if (parse.GetValue(Fee) is { } f) { b.TakerFeeBps = f; b.MakerFeeBps = f; }
        if (parse.GetValue(MakerFee) is { } mf) b.MakerFeeBps = mf;
        if (parse.GetValue(Slippage) is { } s) b.SlippageBps = s;
        if (parse.GetValue(Spread) is { } sp) b.SpreadBps = sp;
        if (parse.GetValue(Impact) is { } im) b.ImpactBps = im;
        if (parse.GetValue(Latency) is { } l) b.LatencyBars = l;
        if (parse.GetValue(Participation) is { } p) b.ParticipationCap = p;
        if (parse.GetValue(Leverage) is { } lv) b.MaxLeverage = lv;
        if (parse.GetValue(Cash) is { } c) b.InitialCash = c;
        if (parse.GetValue(Funding) is { } fr) b.FundingRatePer8h = fr;
        var options = b.ToOptions();
        try { options.Validate(); }
        catch (ArgumentException ex) { throw new BadInputException(ex.Message); }

        var tf = CliParsing.Timeframe(parse.GetValue(Timeframe)!);
        var start = CliParsing.Time(parse.GetValue(From), "--from");
        var end = CliParsing.Time(parse.GetValue(To), "--to", endOfDay: true);
        if (start > end) throw new BadInputException($"--from {start:O} is after --to {end:O}.");
        var warmupText = parse.GetValue(Warmup);
        var warmup = WarmupLength.Default;
        if (warmupText is not null && !WarmupLength.TryParse(warmupText, out warmup))
            throw new BadInputException($"--warmup '{warmupText}' is not a number of bars (200), days (200d) or hours (500h); 0 turns warm-up off.");
        var intrabar = parse.GetValue(Intrabar)!.Trim().ToLowerInvariant() switch
        {
            "auto" => true,
            "none" => false,
            var other => throw new BadInputException($"--intrabar '{other}' is not auto or none."),
        };
        return new BacktestSetup(settings, options with { TradeFrom = start }, tf, start, end, new WarmupPlan(warmup, start, tf),
            parse.GetValue(Data)!, CliParsing.Symbols(parse.GetValue(Symbols))) { Intrabar = intrabar };
    }
}

/// <summary>What the shared flags resolved to: settings, engine options (TradeFrom = --from), span and warm-up.</summary>
public sealed record BacktestSetup(
    AgentFirmSettings Settings,
    BacktestOptions Options,
    Timeframe Timeframe,
    DateTimeOffset? From,
    DateTimeOffset? To,
    WarmupPlan Warmup,
    string DataPath,
    IReadOnlyList<Instrument> Symbols)
{
    /// <summary>Loads the bars from the first warm-up bar to --to, checking the traded span has at least two bars.</summary>
    public BacktestData.Loaded Load() => BacktestData.Load(DataPath, Symbols, Timeframe, From, To, Settings.Market, Warmup.LoadFrom, Intrabar);

    /// <summary>--intrabar auto: use the 1h bars inside coarser bars when the data folder has them.</summary>
    public bool Intrabar { get; init; }

    /// <summary>The run's configuration as report.json and evaluate.json echo it.</summary>
    public JsonObject Config(IEnumerable<Instrument> instruments)
    {
        var b = Settings.Backtest;
        return new JsonObject
        {
            ["symbols"] = new JsonArray(instruments.Select(i => (JsonNode)i.Symbol).ToArray()),
            ["timeframe"] = Timeframe.ToString(),
            ["from"] = From,
            ["to"] = To,
            ["warmup"] = Warmup.Length.ToString(),
            ["initial_cash"] = Options.InitialCash,
            ["taker_fee_bps"] = Options.Costs.TakerFeeBps,
            ["maker_fee_bps"] = Options.Costs.MakerFeeBps,
            ["spread_bps"] = Options.Costs.SpreadBps,
            ["slippage_bps"] = Options.Costs.SlippageBps,
            ["impact_bps"] = Options.Costs.ImpactBps,
            ["latency_bars"] = Options.LatencyBars,
            ["participation_cap"] = Options.ParticipationCap,
            ["max_leverage"] = Options.MaxLeverage,
            ["funding_rate_per_8h"] = b.FundingRatePer8h,
            ["gap_policy"] = CliParsing.GapsFlagValue(Settings.Market.GapPolicy),
        };
    }

    public string CostsLine(BacktestData.Loaded loaded)
    {
        var c = Options.Costs;
        var gaps = loaded.Report.Sum(d => (int)d!["gaps"]!);
        return $"costs: taker {c.TakerFeeBps} bp, maker {c.MakerFeeBps} bp, spread {c.SpreadBps} bp, slippage {c.SlippageBps} bp, impact {c.ImpactBps} bp; latency {Options.LatencyBars} bar(s); data gaps {gaps} (--gaps {CliParsing.GapsFlagValue(Settings.Market.GapPolicy)}); {loaded.Warnings.Count} data warning(s)";
    }
}
