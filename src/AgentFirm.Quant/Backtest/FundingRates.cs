using AgentFirm.Core;

namespace AgentFirm.Quant.Backtest;

/// <summary>Funding rate per settlement for a perpetual, as known at a time.</summary>
public interface IFundingRates
{
    double RateAt(string symbol, DateTimeOffset settlementTime);
}

/// <summary>One rate for every settlement: 0.01% per 8h is the venues' neutral baseline.</summary>
public sealed class ConstantFundingRate(double ratePerSettlement) : IFundingRates
{
    public double RateAt(string symbol, DateTimeOffset settlementTime) => ratePerSettlement;
}

/// <summary>
/// Historical rates per symbol; a settlement uses the latest rate published at or before it (as-of),
/// and zero before the first one.
/// </summary>
public sealed class FundingRateHistory : IFundingRates
{
    private readonly Dictionary<string, (DateTimeOffset[] Times, double[] Rates)> _bySymbol = new(StringComparer.OrdinalIgnoreCase);

    public FundingRateHistory Add(string symbol, IEnumerable<(DateTimeOffset Time, double Rate)> rates)
    {
        var sorted = rates.OrderBy(r => r.Time).ToArray();
        foreach (var (time, rate) in sorted)
            if (!double.IsFinite(rate)) throw new BadInputException($"Funding rate for {symbol} at {time:O} is not finite.");
        _bySymbol[symbol] = (sorted.Select(r => r.Time).ToArray(), sorted.Select(r => r.Rate).ToArray());
        return this;
    }

    public double RateAt(string symbol, DateTimeOffset settlementTime)
    {
        if (!_bySymbol.TryGetValue(symbol, out var s)) return 0;
        var i = Array.BinarySearch(s.Times, settlementTime);
        if (i < 0) i = ~i - 1;
        return i >= 0 ? s.Rates[i] : 0;
    }
}
