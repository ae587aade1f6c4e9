using AgentFirm.Core;

namespace AgentFirm.Market.Simulation;

/// <summary>
/// GARCH(1,1) volatility clustering (Bollerslev 1986) on each asset's standardised shock, stated per day:
/// h' = (1 - a - b) + a z² h + b h, so the variance multiplier h has mean 1. For shorter bars the daily
/// persistence a + b is spread over the bars of a day and a shrinks with the square root of the bar length
/// (a heuristic in the spirit of Drost &amp; Nijman 1993, keeping daily clustering similar across timeframes).
/// </summary>
public sealed record GarchSettings(double AlphaDaily = 0.08, double BetaDaily = 0.90)
{
    public (double Alpha, double Beta) PerBar(double barDays)
    {
        var persistence = Math.Pow(AlphaDaily + BetaDaily, barDays);
        var alpha = Math.Min(AlphaDaily * Math.Sqrt(barDays), 0.5 * persistence);
        return (alpha, persistence - alpha);
    }
}

/// <summary>
/// The planted on-chain relationships. Each strength is the drift a one-standard-deviation move of the
/// feature adds to the asset's log return of the day <c>lag</c> days later, in units of that asset's daily
/// volatility. Signs are fixed by the domain story: rich valuation (MVRV) and inflows to exchanges
/// (selling pressure) precede lower returns, growing activity precedes higher returns.
/// </summary>
public sealed record OnChainSettings(
    double MvrvStrength = 0.15,
    int MvrvLagDays = 1,
    double RealisedPriceHalfLifeDays = 150,
    double NetflowStrength = 0.15,
    int NetflowLagDays = 1,
    double NetflowPersistence = 0.3,
    double ActiveAddressStrength = 0.10,
    int ActiveAddressLagDays = 2,
    double ActiveAddressGrowthStdDev = 0.03,
    double ActiveAddressTrendPerYear = 0.10,
    double MissingRate = 0.005);

/// <summary>
/// Everything that shapes a simulated market. Equal options give byte-identical output. Days are UTC days
/// from <see cref="Start"/> (which must be midnight UTC); bars of <see cref="Timeframe"/> tile each day.
/// </summary>
public sealed record SimulatorOptions
{
    public static DateTimeOffset DefaultStart { get; } = new(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public long Seed { get; init; } = 42;
    public int Days { get; init; } = 365;
    public Timeframe Timeframe { get; init; } = Timeframe.Hour;
    public DateTimeOffset Start { get; init; } = DefaultStart;
    public IReadOnlyList<AssetProfile> Assets { get; init; } = AssetProfile.Defaults;

    /// <summary>Drift one standard deviation of latent sentiment adds, <see cref="SentimentLeadDays"/> later, in daily vols. 0 = headlines carry no signal.</summary>
    public double SentimentStrength { get; init; } = 0.3;

    /// <summary>Days between the headlines of day d and the returns they predict (>= 1: headlines of day d are all known when day d + lead opens).</summary>
    public int SentimentLeadDays { get; init; } = 1;

    /// <summary>AR(1) coefficient of the daily latent sentiment.</summary>
    public double SentimentPersistence { get; init; } = 0.3;

    /// <summary>Sensitivity of headline labels to latent sentiment: logits (+k s, 0 + NeutralBias, -k s) for positive, neutral, negative.</summary>
    public double HeadlineInformativeness { get; init; } = 1.2;
    public double HeadlineNeutralBias { get; init; } = 0.3;

    /// <summary>Mean headlines per asset per day (Poisson).</summary>
    public double HeadlinesPerDay { get; init; } = 4;

    /// <summary>
    /// How much trading volume follows the day's news: each bar of day d has its volume multiplied by
    /// exp(k s[d] - k²/2) (mean one), s the latent sentiment the day's headlines reflect, so good-news days
    /// trade more and bad-news days less. 0 (the default) leaves volume driven by price moves only.
    /// </summary>
    public double NewsVolumeSensitivity { get; init; }

    /// <summary>Mean market-wide noise headlines per day whose labels are random and carry no signal.</summary>
    public double NoiseHeadlinesPerDay { get; init; } = 2;

    public OnChainSettings OnChain { get; init; } = new();
    public RegimeModel Regimes { get; init; } = RegimeModel.Default;
    public GarchSettings Garch { get; init; } = new();

    /// <summary>Jump intensity multiplier while the market is in the crash regime.</summary>
    public double CrashJumpMultiplier { get; init; } = 5;

    /// <summary>Intrabar path points per bar (Brownian bridge) from which high and low are taken.</summary>
    public int SubstepsPerBar { get; init; } = 12;

    /// <summary>Most bars (summed over assets) one run may produce.</summary>
    public const long MaxAssetBars = 20_000_000;

    public int BarsPerDay => (int)(TimeSpan.TicksPerDay / Timeframe.Duration.Ticks);

    /// <summary>Share of each asset's daily return variance taken by the planted signals (the diffusive part is scaled down to leave total volatility on target).</summary>
    public double PlantedVarianceShare =>
        SentimentStrength * SentimentStrength + OnChain.MvrvStrength * OnChain.MvrvStrength +
        OnChain.NetflowStrength * OnChain.NetflowStrength + OnChain.ActiveAddressStrength * OnChain.ActiveAddressStrength;

    /// <summary>
    /// The no-signal control (`simulate --plant none`): every planted strength 0 and no drift in any regime,
    /// while regime volatilities, GARCH, jumps, headlines and on-chain series stay, so the market looks the
    /// same and there is nothing to earn.
    /// </summary>
    public SimulatorOptions WithoutPlantedSignals() => this with
    {
        SentimentStrength = 0,
        OnChain = OnChain with { MvrvStrength = 0, NetflowStrength = 0, ActiveAddressStrength = 0 },
        Regimes = Regimes.WithoutDrift(),
    };

    /// <summary>Throws <see cref="BadInputException"/> naming the first option a user must fix.</summary>
    public void Validate()
    {
        if (Days <= 0) throw new BadInputException($"Days must be positive, got {Days}.");
        if (Days > 365 * 200) throw new BadInputException($"Days must be at most {365 * 200}, got {Days}.");
        var d = Timeframe.Duration;
        if (d < TimeSpan.FromMinutes(1) || d > TimeSpan.FromDays(1) || TimeSpan.TicksPerDay % d.Ticks != 0)
            throw new BadInputException($"Timeframe {Timeframe} is not supported: use a bar length from 1m to 1d that divides a day (1m, 5m, 15m, 1h, 4h, 1d).");
        // Bars are held in memory before writing (64 bytes each): keep a run well inside a laptop's RAM.
        if ((long)Days * BarsPerDay * Math.Max(1, Assets.Count) > MaxAssetBars)
            throw new BadInputException($"{Days} days of {Timeframe} bars for {Assets.Count} assets exceed {MaxAssetBars:N0} bars; use fewer days, assets or a longer timeframe.");
        if (Start.Offset != TimeSpan.Zero || Start.TimeOfDay != TimeSpan.Zero)
            throw new BadInputException($"Start must be midnight UTC, got {Start:O}.");
        if (Assets.Count == 0) throw new BadInputException("At least one asset is needed.");
        foreach (var asset in Assets) asset.Validate();
        var duplicate = Assets.GroupBy(a => a.Symbol).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new BadInputException($"Asset {duplicate.Key} is listed twice.");
        Regimes.Validate();
        if (!(Garch.AlphaDaily >= 0) || !(Garch.BetaDaily >= 0) || !(Garch.AlphaDaily + Garch.BetaDaily < 1))
            throw new BadInputException("GARCH needs alpha >= 0, beta >= 0 and alpha + beta < 1.");
        foreach (var (name, value) in new[]
                 {
                     ("sentiment strength", SentimentStrength), ("MVRV strength", OnChain.MvrvStrength),
                     ("netflow strength", OnChain.NetflowStrength), ("active address strength", OnChain.ActiveAddressStrength),
                 })
            if (!(value is >= 0 and <= 0.8)) throw new BadInputException($"The {name} must be in [0, 0.8], got {value}.");
        if (PlantedVarianceShare > 0.7)
            throw new BadInputException($"The planted signals would take {PlantedVarianceShare:P0} of return variance; keep the sum of squared strengths at or below 0.7.");
        foreach (var (name, lag) in new[] { ("sentiment lead", SentimentLeadDays), ("MVRV lag", OnChain.MvrvLagDays), ("netflow lag", OnChain.NetflowLagDays), ("active address lag", OnChain.ActiveAddressLagDays) })
            if (lag is < 1 or > 60) throw new BadInputException($"The {name} must be 1 to 60 days (a same-day link would not lead), got {lag}.");
        if (!(SentimentPersistence is >= 0 and < 1) || !(OnChain.NetflowPersistence is >= 0 and < 1))
            throw new BadInputException("Sentiment and netflow persistence must be in [0, 1).");
        if (!(HeadlinesPerDay is >= 0 and <= 1000) || !(NoiseHeadlinesPerDay is >= 0 and <= 1000))
            throw new BadInputException("Headline rates must be in [0, 1000] per day.");
        if (!(NewsVolumeSensitivity is >= 0 and <= 2)) throw new BadInputException($"News volume sensitivity must be in [0, 2], got {NewsVolumeSensitivity}.");
        if (!(HeadlineInformativeness >= 0) || !double.IsFinite(HeadlineInformativeness) || !double.IsFinite(HeadlineNeutralBias))
            throw new BadInputException("Headline informativeness must be >= 0 and the neutral bias finite.");
        if (!(OnChain.RealisedPriceHalfLifeDays >= 1) || !(OnChain.ActiveAddressGrowthStdDev > 0) || !double.IsFinite(OnChain.ActiveAddressTrendPerYear))
            throw new BadInputException("On-chain settings: realised price half-life >= 1 day, active address growth sd > 0.");
        if (!(OnChain.MissingRate is >= 0 and < 1)) throw new BadInputException("On-chain missing rate must be in [0, 1).");
        if (!(CrashJumpMultiplier >= 0) || !double.IsFinite(CrashJumpMultiplier)) throw new BadInputException("Crash jump multiplier must be >= 0.");
        if (SubstepsPerBar is < 1 or > 1000) throw new BadInputException("Substeps per bar must be 1 to 1000.");
    }
}
