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
