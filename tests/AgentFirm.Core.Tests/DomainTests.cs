using AgentFirm.Core;

namespace AgentFirm.Core.Tests;

public sealed class PositionTests
{
    [Fact]
    public void Adding_averages_the_entry_and_reducing_realises_against_it()
    {
        var p = new Position("BTC-USDT");
        p.Apply(1, 100);
        p.Apply(1, 110);
        Assert.Equal(105, p.AveragePrice, 1e-12);

        var realised = p.Apply(-0.5, 120); // 0.5 x (120 - 105)
        Assert.Equal(7.5, realised, 1e-12);
        Assert.Equal(1.5, p.Quantity, 1e-12);
        Assert.Equal(105, p.AveragePrice, 1e-12);
    }

    [Fact]
    public void Flipping_closes_the_old_side_and_opens_the_rest_at_the_fill_price()
    {
        var p = new Position("BTC-USDT");
        p.Apply(2, 100);
        var realised = p.Apply(-3, 90); // closes 2 at a loss of 10 each, opens 1 short at 90
        Assert.Equal(-20, realised, 1e-12);
        Assert.Equal(-1, p.Quantity, 1e-12);
        Assert.Equal(90, p.AveragePrice, 1e-12);
        Assert.Equal(-20, p.RealizedPnl, 1e-12);
    }

    [Fact]
    public void Closing_exactly_leaves_a_flat_position_with_no_average()
    {
        var p = new Position("ETH-USDT");
        p.Apply(0.3, 2000);
        p.Apply(-0.1, 2100);
        p.Apply(-0.2, 2200);
        Assert.True(p.IsFlat);
        Assert.Equal(0, p.AveragePrice);
    }
}

public sealed class LedgerTests
{
    private static readonly DateTimeOffset T = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Spot_fills_move_cash_by_their_notional_and_fees_and_equity_marks_the_holding()
    {
        var ledger = new Ledger([Instrument.Parse("BTC-USDT")], "USDT");
        ledger.Apply(new LedgerEntry(1, 0, T, LedgerEntryKind.Deposit, "USDT", Amount: 10_000));
        ledger.Apply(new LedgerEntry(2, 1, T, LedgerEntryKind.Fill, "BTC-USDT", OrderSide.Buy, 0.1, 40_000, Fee: 4));
        ledger.Apply(new LedgerEntry(3, 1, T, LedgerEntryKind.OrderVetoed, "BTC-USDT", OrderSide.Buy, 1, 40_000, Note: "gross"));

        Assert.Equal(10_000 - 4_000 - 4, ledger.Cash, 1e-9);
        Assert.Equal(5_996 + 0.1 * 41_000, ledger.Equity(_ => 41_000), 1e-9);
        Assert.Equal(1, ledger.Vetoes);
        Assert.Equal(1, ledger.LastStep);
    }

    [Fact]
    public void Perpetual_fills_realise_pnl_only_and_funding_moves_cash()
    {
        var ledger = new Ledger([], "USDT");
        ledger.Apply(new LedgerEntry(1, 0, T, LedgerEntryKind.Deposit, "USDT", Amount: 1_000));
        ledger.Apply(new LedgerEntry(2, 1, T, LedgerEntryKind.Fill, "BTC-USDT-PERP", OrderSide.Sell, 1, 100, Fee: 0.1));
        ledger.Apply(new LedgerEntry(3, 2, T, LedgerEntryKind.Funding, "BTC-USDT-PERP", Amount: 0.01));
        ledger.Apply(new LedgerEntry(4, 3, T, LedgerEntryKind.Fill, "BTC-USDT-PERP", OrderSide.Buy, 1, 90, Fee: 0.09));

        Assert.Equal(1_000 - 0.1 + 0.01 + 10 - 0.09, ledger.Cash, 1e-9);
        Assert.Equal(ledger.Cash, ledger.Equity(_ => 95), 1e-9); // flat: nothing to mark
        Assert.Equal(1, ledger.FundingPayments);
    }

    [Fact]
    public void A_gap_or_a_repeat_in_the_sequence_is_refused()
    {
        var ledger = new Ledger([], "USDT");
        ledger.Apply(new LedgerEntry(1, 0, T, LedgerEntryKind.Deposit, "USDT", Amount: 1));
        Assert.Throws<InvalidOperationException>(() => ledger.Apply(new LedgerEntry(3, 1, T, LedgerEntryKind.Deposit, "USDT", Amount: 1)));
        Assert.Throws<InvalidOperationException>(() => ledger.Apply(new LedgerEntry(1, 1, T, LedgerEntryKind.Deposit, "USDT", Amount: 1)));
    }
}

public sealed class VocabularyTests
{
    [Theory]
    [InlineData("1m", 60, 525_600)]
    [InlineData("1h", 3_600, 8_760)]
    [InlineData("4h", 14_400, 2_190)]
    [InlineData("1d", 86_400, 365)]
    public void Timeframes_parse_and_annualise_over_a_365_day_year(string text, int seconds, double periods)
    {
        var tf = Timeframe.Parse(text);
        Assert.Equal(TimeSpan.FromSeconds(seconds), tf.Duration);
        Assert.Equal(periods, tf.PeriodsPerYear, 1e-9);
        Assert.Equal(text, tf.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("1x")]
    [InlineData("h")]
    [InlineData("-1h")]
    public void Bad_timeframes_are_refused(string text) => Assert.False(Timeframe.TryParse(text, out _));

    [Fact]
    public void Symbols_name_base_quote_and_kind()
    {
        var spot = Instrument.Parse("btc-usdt");
        var perp = Instrument.Parse("ETH-USDT-PERP");
        Assert.Equal(("BTC-USDT", "BTC", "USDT", false), (spot.Symbol, spot.BaseCurrency, spot.QuoteCurrency, spot.IsPerpetual));
        Assert.True(perp.IsPerpetual);
        Assert.False(Instrument.TryParse("BTCUSDT", out _));
        Assert.False(Instrument.TryParse("BTC-USDT-SWAP", out _));
    }

    [Fact]
    public void Cash_refuses_non_finite_amounts_and_views_sanitise_broken_numbers()
    {
        var cash = new CashBook();
        Assert.Throws<ArgumentException>(() => cash.Add("USDT", double.NaN));
        var view = new AgentView("x", "BTC-USDT", default, double.NaN, 7, TimeSpan.FromHours(1), [], "").Sanitised();
        Assert.Equal((0.0, 1.0), (view.Direction, view.Confidence));
    }

    [Fact]
    public void Orders_with_impossible_quantities_or_prices_are_refused()
    {
        Assert.Throws<ArgumentException>(() => Order.Market(1, "BTC-USDT", OrderSide.Buy, 0, default).Validate());
        Assert.Throws<ArgumentException>(() => Order.Market(1, "BTC-USDT", OrderSide.Buy, double.PositiveInfinity, default).Validate());
        Assert.Throws<ArgumentException>(() => new Order(1, "BTC-USDT", OrderSide.Buy, 1, OrderType.Limit, default).Validate());
        Assert.Throws<ArgumentException>(() => Order.Stop(1, "BTC-USDT", OrderSide.Sell, 1, -5, default).Validate());
    }
}
