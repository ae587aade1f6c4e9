using AgentFirm.Agents.Contracts;
using AgentFirm.Agents.Firm;
using AgentFirm.Core;
using AgentFirm.Market.Data;
using AgentFirm.Quant.OnChain;

namespace AgentFirm.Host.Firm;

/// <summary>
/// Finds the headlines and on-chain series that sit beside a bar folder (the simulator's and the shared
/// data's layout: ROOT/ohlcv, ROOT/text, ROOT/onchain) and turns them into the firm's as-of side feed.
/// </summary>
public static class FirmSideData
{
    public sealed record Loaded(IReadOnlyList<Headline> HeadlineItems, IReadOnlyList<SeriesPoint> Series, int UndatedSkipped, IReadOnlyList<string> Files)
    {
        public int Headlines => HeadlineItems.Count;

        /// <summary>A fresh as-of feed over the data: a feed hands each item out once, so every firm run needs its own.</summary>
        public SideDataFeed CreateFeed() => new(HeadlineItems, Series);
    }

    public static Loaded Load(string dataPath, IReadOnlyList<Instrument> instruments)
    {
        var root = Directory.Exists(dataPath) ? dataPath : Path.GetDirectoryName(Path.GetFullPath(dataPath))!;
        var roots = new[] { root, Path.GetDirectoryName(Path.GetFullPath(root)) }.Where(r => r is not null).Cast<string>().ToArray();
        var files = new List<string>();
        var headlines = new List<Headline>();
        var undated = 0;
        foreach (var text in roots.Select(r => Path.Combine(r, "text")).Where(Directory.Exists).Take(1))
            foreach (var file in Directory.EnumerateFiles(text, "*.csv").Order())
            {
                var loaded = HeadlineCsvLoader.Load(file);
                headlines.AddRange(loaded.Headlines);
                undated += loaded.UndatedRows;
                files.Add(file);
            }

        var series = new List<SeriesPoint>();
        foreach (var onchain in roots.Select(r => Path.Combine(r, "onchain")).Where(Directory.Exists).Take(1))
            foreach (var instrument in instruments)
            {
                // The asset's own file first (the simulator's layout), then the public exports, in priority order.
                var pair = $"{instrument.BaseCurrency}-{instrument.QuoteCurrency}";
                var b = instrument.BaseCurrency.ToLowerInvariant();
                var found = new[] { $"{pair}.csv", $"{b}_mvrv_marketcap.csv", $"{b}_network_blockchain_com.csv", $"{b}_funding_rate_binance_perp_daily.csv", $"{b}_taker_buy_fraction_binance_daily.csv" }
                    .Select(name => Path.Combine(onchain, name)).Where(File.Exists).ToArray();
                if (found.Length == 0) continue;
                foreach (var o in OnChainCsvLoader.Merge(found.Select(f => OnChainCsvLoader.Load(f)).ToArray()))
                    foreach (var (metric, value) in OnChainSeriesNames.Values(o))
                        series.Add(new SeriesPoint($"{instrument.Symbol}:{metric}", o.KnownAt, value));
                files.AddRange(found);
            }
        return new Loaded(headlines, series, undated, files);
    }
}
