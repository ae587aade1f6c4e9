using AgentFirm.Market.Data;
using AgentFirm.Market.Simulation;

namespace AgentFirm.Bench;

/// <summary>Headline texts for the sentiment benchmarks: the shared crypto news headlines, else the simulator's.</summary>
internal static class SentimentBenchData
{
    public static (string[] Texts, string Source) Headlines()
    {
        var path = BenchData.File("text/crypto_news_headlines_2020_2022.csv");
        if (path is not null)
            return (HeadlineCsvLoader.Load(path).Headlines.Select(h => h.Text).ToArray(), "shared text/crypto_news_headlines_2020_2022.csv");
        Console.Error.WriteLine("shared data absent: using the simulator's headlines");
        var simulated = new MarketSimulator(new SimulatorOptions()).Run();
        return (simulated.Headlines.Select(h => h.Text).ToArray(), "simulator headlines");
    }
}
