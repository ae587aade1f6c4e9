namespace AgentFirm.Market.Simulation;

/// <summary>
/// Template phrases for simulated headlines. {T} is the ticker (BTC), {N} the coin's name (Bitcoin).
/// Wording carries the label (a lexicon or FinBERT scorer can read it); which label a headline gets is
/// drawn from the latent sentiment, so the text is honest about its own tone but not a price oracle.
/// Noise headlines name no asset and their tone is random: they carry no signal.
/// </summary>
internal static class HeadlineTemplates
{
    public const string Positive = "positive";
    public const string Neutral = "neutral";
    public const string Negative = "negative";

    private static readonly string[] PositivePhrases =
    [
        "{T} rallies as ETF inflows surge",
        "{N} breaks key resistance as buyers return",
        "Whales accumulate {T} ahead of network upgrade",
        "{N} network activity hits record high",
        "{T} jumps after major exchange adds spot pairs",
        "Institutional desk adds {T} to treasury reserves",
        "{N} developers ship long-awaited scaling upgrade",
        "{T} climbs after regulator signals approval",
        "Analysts turn bullish on {T} as on-chain demand grows",
        "{T} short squeeze lifts price to monthly high",
        "{N} staking deposits soar as holders lock up supply",
        "Asset manager files for spot {N} fund",
    ];

    private static readonly string[] NegativePhrases =
    [
        "{T} slides after exchange hack",
        "{N} tumbles as miners dump coins",
        "Regulators open probe into {N} lending platforms",
        "{T} drops as long liquidations cascade",
        "Whale moves {T} to exchanges sparking sell-off fears",
        "{N} network outage halts transactions for hours",
        "{T} sinks after lawsuit targets major issuer",
        "Analysts warn {T} rally is losing steam",
        "{T} bleeds as fund outflows mount",
        "Stablecoin depeg rattles {T} traders",
        "{N} bridge exploit drains millions in tokens",
        "{T} falls below support as risk appetite fades",
    ];

    private static readonly string[] NeutralPhrases =
    [
        "{T} trades flat ahead of Fed decision",
        "{N} developers schedule community call",
        "{T} open interest little changed on the week",
        "Exchange publishes {T} proof-of-reserves report",
        "{N} foundation announces conference speakers",
        "{T} volatility steady as traders await data",
        "{N} core team releases routine client update",
        "{T} holds range as volumes stay average",
        "Research note compares {N} fee markets",
        "{T} options expiry passes without surprises",
    ];

    private static readonly string[] NoisePositive =
    [
        "New memecoin soars on launch day",
        "Small DeFi protocol doubles its total value locked",
        "Gaming token surges after celebrity partnership",
        "Crypto startup raises seed round from venture funds",
    ];

    private static readonly string[] NoiseNegative =
    [
        "Small DeFi protocol exploited for two million dollars",
        "Obscure token collapses after team vanishes",
        "Crypto lender in niche market pauses withdrawals",
        "Scam airdrop targets wallet users on social media",
    ];

    private static readonly string[] NoiseNeutral =
    [
        "Industry group publishes crypto tax guide",
        "Blockchain conference opens in Lisbon",
        "Survey asks retail investors about digital assets",
        "Crypto Twitter debates wallet user experience",
    ];

    private static readonly string[] Outlets =
        ["chainwire", "blockbeat", "ledgerdaily", "coinpost", "satoshitimes", "defipulse", "x-feed", "reddit"];

    // Tone-free framing, so that separate events read as separate stories: real outlets rarely print the same
    // sentence twice in a week, and the text pipeline drops repeats within its memory as syndicated duplicates.
    private static readonly string[] Leads =
        ["", "", "Report: ", "Update: ", "Markets: ", "Asia session: ", "Europe session: ", "US session: ", "Weekend: ", "Desk note: "];

    private static readonly string[] Tails =
        ["", "", ", traders say", ", data shows", ", sources say", " in early trade", " in late trade", ", analysts note", " on the day", " this week"];

    public static string Asset(string label, string ticker, SimRandom random)
    {
        var phrases = label switch { Positive => PositivePhrases, Negative => NegativePhrases, _ => NeutralPhrases };
        var phrase = phrases[random.NextIndex(phrases.Length)].Replace("{T}", ticker).Replace("{N}", CoinName(ticker));
        return Leads[random.NextIndex(Leads.Length)] + phrase + Tails[random.NextIndex(Tails.Length)];
    }

    public static string Noise(string label, SimRandom random)
    {
        var phrases = label switch { Positive => NoisePositive, Negative => NoiseNegative, _ => NoiseNeutral };
        return phrases[random.NextIndex(phrases.Length)];
    }

    public static string Source(SimRandom random) => "sim/" + Outlets[random.NextIndex(Outlets.Length)];

    public static string CoinName(string ticker) => ticker switch
    {
        "BTC" => "Bitcoin",
        "ETH" => "Ethereum",
        "SOL" => "Solana",
        "BNB" => "BNB Chain",
        "XRP" => "XRP Ledger",
        "ADA" => "Cardano",
        "DOGE" => "Dogecoin",
        _ => ticker,
    };
}
