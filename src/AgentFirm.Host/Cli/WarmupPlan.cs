using System.Text.Json.Nodes;
using AgentFirm.Core;
using AgentFirm.Quant.Backtest;

namespace AgentFirm.Host.Cli;

/// <summary>
/// The warm-up a run asked for before --from, and what the data could give: where loading starts, and
/// one warning per symbol whose history is shorter than asked (the run then warms up on what exists).
/// Without --from the run starts at the data's first bar and there is nothing to warm up on.
/// </summary>
public sealed class WarmupPlan(WarmupLength length, DateTimeOffset? tradeFrom, Timeframe timeframe)
{
    public WarmupLength Length => length;

    /// <summary>The open time of the first bar to load: the first warm-up bar asked for, or --from without warm-up.</summary>
    public DateTimeOffset? LoadFrom => tradeFrom is { } from && !length.IsNone ? length.StartBefore(from, timeframe) : tradeFrom;

    /// <summary>Bars of the timeframe the asked span holds (500h on daily bars: 20).</summary>
    public int BarsAsked => (int)(length.Span(timeframe).Ticks / timeframe.Duration.Ticks);

    public IReadOnlyList<string> Shortfalls(BacktestData.Loaded loaded)
    {
        // Without --from the run starts at the data's first bar: there is nothing before it to warm up on, and
        // the summary line says so; a warning on every such run would only be noise.
        if (length.IsNone || tradeFrom is null) return [];
        var notes = new List<string>();
        for (var i = 0; i < loaded.Market.Count; i++)
        {
            var have = loaded.WarmupBars[i];
            if (have >= BarsAsked) continue;
            var symbol = loaded.Market[i].Instrument.Symbol;
            notes.Add($"warm-up: {symbol} has {have} of the {BarsAsked} bars asked for ({length}) before {tradeFrom:yyyy-MM-dd HH:mm}; its data starts {loaded.Market[i].Bars[0].Time:yyyy-MM-dd HH:mm}, so it warms up on {have}");
        }
        return notes;
    }

    /// <summary>What was asked and what the data held, for report.json's "warmup" (the engine adds what it replayed).</summary>
    public JsonObject Request(BacktestData.Loaded loaded) => new()
    {
        ["requested"] = length.ToString(),
        ["requested_first_bar"] = LoadFrom is { } start && tradeFrom is not null && !length.IsNone ? start : null,
        ["bars_asked"] = tradeFrom is null ? 0 : BarsAsked,
        ["complete"] = Shortfalls(loaded).Count == 0,
        ["shortfalls"] = new JsonArray(Shortfalls(loaded).Select(s => (JsonNode)s).ToArray()),
    };
}
