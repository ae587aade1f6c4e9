using AgentFirm.Core;

namespace AgentFirm.Market.Simulation;

/// <summary>
/// One simulated asset. <see cref="BtcLoading"/> is its correlation with BTC, the hub of the one-factor
/// correlation structure (corr(i, j) = loading_i * loading_j; BTC's loading is 1). Volatility is the
/// target total annualised volatility of log returns; volumes and on-chain scales are per UTC day in base units.
/// </summary>
public sealed record AssetProfile(
    string Symbol,
    double StartPrice,
    double AnnualVolatility,
    double BtcLoading,
    double DailyVolume,
    double JumpsPerYear,
    double JumpMean,
    double JumpStdDev,
    double ActiveAddresses,
    double NetflowScale)
{
    public string BaseCurrency => Symbol.Split('-')[0];

    /// <summary>Roughly where these markets stood on 2020-01-01 (SOL listed later that year at a similar price).</summary>
    public static IReadOnlyList<AssetProfile> Defaults { get; } =
    [
        For("BTC-USDT"),
        For("ETH-USDT"),
        For("SOL-USDT"),
    ];

    /// <summary>
    /// The catalogue profile for a symbol, or a generic altcoin profile for bases we have no numbers for.
    /// Throws <see cref="BadInputException"/> for a symbol that is not BASE-QUOTE spot.
    /// </summary>
    public static AssetProfile For(string symbol)
    {
        if (!Instrument.TryParse(symbol, out var instrument) || instrument.IsPerpetual)
            throw new BadInputException($"Symbol '{symbol}' is not a BASE-QUOTE spot symbol such as BTC-USDT.");
        var s = instrument.Symbol;
        return instrument.BaseCurrency switch
        {
            "BTC" => new(s, 7200, 0.60, 1.00, 40_000, 4, -0.01, 0.05, 900_000, 1_500),
            "ETH" => new(s, 130, 0.80, 0.80, 400_000, 5, -0.01, 0.06, 450_000, 15_000),
            "SOL" => new(s, 1.5, 1.05, 0.70, 3_000_000, 6, -0.01, 0.08, 80_000, 120_000),
            "BNB" => new(s, 14, 0.75, 0.70, 300_000, 5, -0.01, 0.06, 150_000, 10_000),
            "XRP" => new(s, 0.19, 0.85, 0.65, 200_000_000, 5, -0.01, 0.07, 60_000, 8_000_000),
            "ADA" => new(s, 0.033, 0.95, 0.65, 150_000_000, 5, -0.01, 0.07, 50_000, 6_000_000),
            "DOGE" => new(s, 0.002, 1.10, 0.55, 1_000_000_000, 6, 0.0, 0.10, 30_000, 40_000_000),
            _ => new(s, 1.0, 0.90, 0.60, 5_000_000, 5, -0.01, 0.07, 40_000, 200_000),
        };
    }

    internal void Validate()
    {
        bool Positive(double x) => x > 0 && double.IsFinite(x);
        if (!Instrument.TryParse(Symbol, out var i) || i.IsPerpetual || i.Symbol != Symbol)
            throw new BadInputException($"Asset symbol '{Symbol}' must be an upper-case BASE-QUOTE spot symbol such as BTC-USDT.");
        if (!Positive(StartPrice)) throw new BadInputException($"{Symbol}: start price must be positive.");
        if (!Positive(AnnualVolatility) || AnnualVolatility > 5) throw new BadInputException($"{Symbol}: annual volatility must be in (0, 5].");
        if (!(BtcLoading is >= 0 and <= 1)) throw new BadInputException($"{Symbol}: BTC loading (correlation with BTC) must be in [0, 1].");
        if (!Positive(DailyVolume) || !Positive(ActiveAddresses) || !Positive(NetflowScale))
            throw new BadInputException($"{Symbol}: volume, active addresses and netflow scale must be positive.");
        if (!(JumpsPerYear >= 0) || !double.IsFinite(JumpMean) || !(JumpStdDev >= 0))
            throw new BadInputException($"{Symbol}: jumps need a rate >= 0, a finite mean and a standard deviation >= 0.");
    }
}
