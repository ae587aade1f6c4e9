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
    public sealed record Loaded(SideDataFeed Feed, int Headlines, int UndatedSkipped, IReadOnlyList<string> Files);

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
                var pair = $"{instrument.BaseCurrency}-{instrument.QuoteCurrency}";
                var file = new[] { $"{pair}.csv", $"{instrument.BaseCurrency.ToLowerInvariant()}_mvrv_marketcap.csv" }
                    .Select(name => Path.Combine(onchain, name)).FirstOrDefault(File.Exists);
                if (file is null) continue;
                foreach (var o in OnChainCsvLoader.Load(file))
                {
                    series.Add(new SeriesPoint($"{instrument.Symbol}:mvrv", o.KnownAt, o.Mvrv ?? double.NaN));
                    series.Add(new SeriesPoint($"{instrument.Symbol}:exchange_netflow", o.KnownAt, o.ExchangeNetflow ?? double.NaN));
                    series.Add(new SeriesPoint($"{instrument.Symbol}:active_addresses", o.KnownAt, o.ActiveAddresses ?? double.NaN));
                }
                files.Add(file);
            }
        return new Loaded(new SideDataFeed(headlines, series), headlines.Count, undated, files);
    }
}
