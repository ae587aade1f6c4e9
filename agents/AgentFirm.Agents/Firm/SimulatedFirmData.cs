using AgentFirm.Agents.Contracts;
using AgentFirm.Core;
using AgentFirm.Market.Simulation;
using AgentFirm.Quant.Backtest;

namespace AgentFirm.Agents.Firm;

/// <summary>Turns a simulated market into what the firm consumes: bar series for the engine and the side-data feed.</summary>
public static class SimulatedFirmData
{
    public static (MarketSeries[] Market, SideDataFeed Feed) From(SimulationResult result)
    {
        var market = result.Assets.Select(a => new MarketSeries(Instrument.Parse(a.Symbol), a.Bars)).ToArray();
        var series = result.Assets.SelectMany(a => a.OnChain.SelectMany(o => new[]
        {
            new SeriesPoint($"{a.Symbol}:mvrv", o.KnownAt, o.Mvrv ?? double.NaN),
            new SeriesPoint($"{a.Symbol}:exchange_netflow", o.KnownAt, o.ExchangeNetflow ?? double.NaN),
            new SeriesPoint($"{a.Symbol}:active_addresses", o.KnownAt, o.ActiveAddresses ?? double.NaN),
        }));
        return (market, new SideDataFeed(result.Headlines, series));
    }
}
