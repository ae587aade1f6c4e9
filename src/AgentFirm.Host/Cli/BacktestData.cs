using System.Text.Json.Nodes;
using AgentFirm.Core;
using AgentFirm.Market.Data;
using AgentFirm.Quant.Backtest;

namespace AgentFirm.Host.Cli;

/// <summary>
/// Loads the bars of a backtest from a file or a folder laid out like ../shared/data/ohlcv, validates
/// them strictly, cuts the requested span (with the warm-up bars before --from) and records where every
/// bar came from for the report.
/// A perpetual (BTC-USDT-PERP) is priced from the spot file of the same pair.
/// </summary>
public static class BacktestData
{
    /// <summary>The bars from the first warm-up bar on; <see cref="WarmupBars"/>[i] of symbol i's open before --from.</summary>
    /// <param name="Notes">Choices made for the user that they should see (the symbol taken from a file name), for stderr.</param>
    public sealed record Loaded(IReadOnlyList<MarketSeries> Market, JsonArray Report, IReadOnlyList<LoadWarning> Warnings, IReadOnlyList<int> WarmupBars, IReadOnlyList<string> Notes);

    /// <param name="loadFrom">The first warm-up bar wanted (before <paramref name="from"/>); null or <paramref name="from"/> for none.</param>
    public static Loaded Load(string data, IReadOnlyList<Instrument> instruments, Timeframe timeframe,
        DateTimeOffset? from, DateTimeOffset? to, MarketSettings market, DateTimeOffset? loadFrom = null, bool intrabar = false)
    {
        var first = loadFrom is { } lf && (from is null || lf < from) ? lf : from;
        var isFile = File.Exists(data);
        if (!isFile && !Directory.Exists(data)) throw new BadInputException($"--data '{data}' is neither a file nor a folder.");
        if (isFile && instruments.Count > 1) throw new BadInputException($"--data '{data}' is one file but {instruments.Count} symbols were asked for; point --data at a folder.");
        var notes = new List<string>();
        if (isFile) instruments = SymbolOfFile(data, instruments, notes);
        else if (instruments.Count == 0) throw new BadInputException("--symbols is required when --data is a folder.");

        var series = new List<MarketSeries>();
        var report = new JsonArray();
        var warnings = new List<LoadWarning>();
        var warmupBars = new List<int>();
        foreach (var instrument in instruments)
        {
            var pair = $"{instrument.BaseCurrency}-{instrument.QuoteCurrency}";
            var path = isFile ? data : OhlcvDirectory.Resolve(data, pair, timeframe);
            var loaded = BarLoader.Load(path, new LoadOptions { Timeframe = timeframe, Gaps = market.GapPolicy, Symbol = pair, SpikeThreshold = market.SpikeThreshold });
            if (loaded.Timeframe != timeframe)
                throw new BadInputException($"{path} holds {loaded.Timeframe} bars but --timeframe is {timeframe}.");
            var bars = loaded.Bars.Where(b => (first is null || b.Time >= first) && (to is null || b.Time <= to)).ToArray();
            var warm = from is null ? 0 : bars.Count(b => b.Time < from);
            var traded = bars.Length - warm;
            if (traded < 2)
                throw new BadInputException($"{path}: {traded} bars between {from?.ToString("O") ?? "the start"} and {to?.ToString("O") ?? "the end"} (the file covers {loaded.Report.First:O} to {loaded.Report.Last:O}).");
            var finer = intrabar && !isFile && timeframe.Duration > Timeframe.Hour.Duration ? SubBars(data, pair, bars, market) : null;
            series.Add(new MarketSeries(instrument, bars) { SubBars = finer?.Bars });
            warmupBars.Add(warm);
            warnings.AddRange(loaded.Report.Warnings);
            var r = loaded.Report;
            report.Add(new JsonObject
            {
                ["symbol"] = instrument.Symbol,
                ["file"] = RunPaths.Relative(path),
                ["sha256"] = r.Sha256,
                ["rows"] = r.Rows,
                ["gap_policy"] = CliParsing.GapsFlagValue(market.GapPolicy),
                ["gaps"] = r.Gaps,
                ["missing_bars"] = r.MissingBars,
                ["filled_bars"] = r.FilledBars,
                ["bars_used"] = traded,
                ["first_bar"] = bars[warm].Time,
                ["warmup_bars"] = warm,
                ["warmup_first_bar"] = warm > 0 ? bars[0].Time : null,
                ["last_bar"] = bars[^1].Time,
                ["warnings"] = new JsonArray(r.Warnings.Select(w => (JsonNode)$"row {w.Row}, field '{w.Field}': {w.Message}").ToArray()),
                ["intrabar"] = finer is null ? null : new JsonObject
                {
                    ["file"] = RunPaths.Relative(finer.Path),
                    ["sha256"] = finer.Sha256,
                    ["timeframe"] = Timeframe.Hour.ToString(),
                    ["bars_used"] = finer.Bars.Length,
                    ["missing_bars"] = finer.MissingBars,
                },
            });
        }
        return new Loaded(series, report, warnings, warmupBars, notes);
    }

    private sealed record Finer(string Path, string Sha256, Bar[] Bars, long MissingBars);

    /// <summary>
    /// The 1h bars inside the decision bars, from DIR/1h beside DIR/&lt;timeframe&gt;; null when the folder has none.
    /// Their gaps are kept as they are (a missing hour is less finer data, not an error): the report counts them.
    /// </summary>
    private static Finer? SubBars(string data, string pair, Bar[] bars, MarketSettings market)
    {
        string path;
        try { path = OhlcvDirectory.Resolve(data, pair, Timeframe.Hour); }
        catch (BadInputException) { return null; }
        var loaded = BarLoader.Load(path, new LoadOptions { Timeframe = Timeframe.Hour, Gaps = GapPolicy.Skip, Symbol = pair, SpikeThreshold = market.SpikeThreshold });
        var first = bars[0].Time;
        var end = bars[^1].CloseTime;
        var inside = loaded.Bars.Where(b => b.Time >= first && b.CloseTime <= end).ToArray();
        return inside.Length == 0 ? null : new Finer(path, loaded.Report.Sha256, inside, loaded.Report.MissingBars);
    }

    /// <summary>
    /// A single file is one pair, named by its file name (BTC-USDT.csv, BTCUSDT-1h-2024-01.csv). A --symbols that names
    /// another pair would label one market's numbers with another's name, so it is refused; a perpetual of the same
    /// pair (BTC-USDT-PERP on BTC-USDT.csv) is fine. A name that gives no pair (prices.csv) needs --symbols.
    /// </summary>
    private static IReadOnlyList<Instrument> SymbolOfFile(string data, IReadOnlyList<Instrument> instruments, List<string> notes)
    {
        var named = BarLoader.SymbolFromFileName(data);
        var fromName = Instrument.TryParse(named, out var parsed) ? parsed : null;
        if (instruments.Count == 0)
        {
            if (fromName is null)
                throw new BadInputException($"--data '{data}': the file name gives no symbol such as BTC-USDT; name it with --symbols.");
            notes.Add($"note: --symbols not given; the symbol {fromName.Symbol} comes from the file name {Path.GetFileName(data)}.");
            return [fromName];
        }
        var asked = instruments[0];
        if (fromName is not null && !(string.Equals(asked.BaseCurrency, fromName.BaseCurrency, StringComparison.OrdinalIgnoreCase)
                                      && string.Equals(asked.QuoteCurrency, fromName.QuoteCurrency, StringComparison.OrdinalIgnoreCase)))
            throw new BadInputException($"--symbols {asked.Symbol} does not match --data '{Path.GetFileName(data)}', which holds {fromName.Symbol} (the symbol its file name gives); drop --symbols or point --data at the {asked.BaseCurrency}-{asked.QuoteCurrency} file.");
        return instruments;
    }
}
