using AgentFirm.Core;

namespace AgentFirm.Quant.Backtest;

/// <summary>
/// Cash, positions and marks of one backtest account in a single quote currency. It decides how much of
/// a proposed fill the account can carry (cash for a cash account, exposure for a margined one) and books
/// fills and funding. Spot fills move cash by their notional; perpetual fills only realise PnL.
/// </summary>
internal sealed class Account
{
    private readonly Instrument[] _instruments;
    private readonly double _maxLeverage;

    public Account(Instrument[] instruments, string quoteCurrency, double initialCash, double maxLeverage)
    {
        _instruments = instruments;
        _maxLeverage = maxLeverage;
        Quote = quoteCurrency;
        Cash.Add(quoteCurrency, initialCash);
        Positions = instruments.Select(i => new Position(i.Symbol)).ToArray();
        Marks = new double[instruments.Length];
    }

    public string Quote { get; }
    public CashBook Cash { get; } = new();
    public Position[] Positions { get; }
    public double[] Marks { get; }

    public double Equity
    {
        get
        {
            var equity = Cash[Quote];
            for (var i = 0; i < Positions.Length; i++)
            {
                var p = Positions[i];
                if (p.Quantity == 0) continue;
                equity += _instruments[i].IsPerpetual ? p.UnrealizedPnl(Marks[i]) : p.Quantity * Marks[i];
            }
            return equity;
        }
    }

    public double GrossExposure
    {
        get
        {
            double gross = 0;
            for (var i = 0; i < Positions.Length; i++) gross += Math.Abs(Positions[i].Quantity * Marks[i]);
            return gross;
        }
    }

    public double NetExposure
    {
        get
        {
            double net = 0;
            for (var i = 0; i < Positions.Length; i++) net += Positions[i].Quantity * Marks[i];
            return net;
        }
    }

    /// <summary>
    /// The largest part of a proposed fill the account can take. Reducing a position is always allowed;
    /// what opens or adds exposure must fit the cash (cash account, spot) or the leverage cap.
    /// </summary>
    public double Affordable(int index, OrderSide side, double quantity, double price, double feeFraction)
    {
        var position = Positions[index].Quantity;
        var sign = side.Sign();
        var reducing = Math.Sign(position) == -sign ? Math.Min(quantity, Math.Abs(position)) : 0;
        var adding = quantity - reducing;
        if (adding <= 0) return quantity;

        var spotCashAccount = !_instruments[index].IsPerpetual && _maxLeverage <= 1;
        double addable;
        if (spotCashAccount)
        {
            // No borrowing: buys need the cash (fees included) and spot cannot go short.
            if (side == OrderSide.Sell) return reducing;
            var cashAfterReduce = Cash[Quote];
            addable = cashAfterReduce > 0 ? cashAfterReduce / (price * (1 + feeFraction)) : 0;
        }
        else
        {
            var grossOthers = GrossExposure - Math.Abs(position * Marks[index]);
            var remainingPosition = Math.Abs(position) - reducing;
            var equity = Equity - (reducing * price * feeFraction);
            var room = _maxLeverage * equity - grossOthers - remainingPosition * price;
            // Each unit added costs its notional of room plus the fee it takes out of equity.
            addable = room > 0 ? room / (price * (1 + _maxLeverage * feeFraction)) : 0;
        }
        return reducing + Math.Clamp(addable, 0, adding);
    }

    /// <summary>Books a fill; returns the PnL it realised (before fees).</summary>
    public double ApplyFill(int index, OrderSide side, double quantity, double price, double fee)
    {
        var signed = side.Sign() * quantity;
        var realized = Positions[index].Apply(signed, price);
        if (_instruments[index].IsPerpetual) Cash.Add(Quote, realized - fee);
        else Cash.Add(Quote, -signed * price - fee);
        // Float dust must not read as borrowing in a cash account.
        if (_maxLeverage <= 1 && Cash[Quote] < 0 && Cash[Quote] > -1e-6) Cash.Add(Quote, -Cash[Quote]);
        return realized;
    }

    public void ApplyFunding(FundingPayment payment) => Cash.Add(Quote, payment.Amount);
}
