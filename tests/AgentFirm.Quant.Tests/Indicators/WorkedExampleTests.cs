using AgentFirm.Core;
using AgentFirm.Quant.Indicators;

namespace AgentFirm.Quant.Tests.Indicators;

/// <summary>Small examples with numbers worked by hand (shown in the comments) and one published table.</summary>
public class WorkedExampleTests
{
    private static double[] Feed(IValueIndicator indicator, params double[] values) => values.Select(v => indicator.Update(v)).ToArray();

    private static Bar B(int i, double high, double low, double close, double volume = 100, double? open = null) =>
        new(TestBars.T0.AddHours(i), TimeSpan.FromHours(1), open ?? close, high, low, close, volume);

    [Fact]
    public void Rsi_matches_the_stockcharts_worked_example()
    {
        // StockCharts ChartSchool, "Relative Strength Index (RSI)", calculation spreadsheet: 33 closes, 14-period
        // Wilder RSI from the 15th close. The sheet rounds its first average gain/loss (0.24 / 0.10), so its first
        // RSIs sit up to 0.07 above the exact ones; the gap decays with Wilder's smoothing and the last values agree.
        double[] closes = [44.34, 44.09, 44.15, 43.61, 44.33, 44.83, 45.10, 45.42, 45.84, 46.08, 45.89, 46.03, 45.61, 46.28, 46.28,
            46.00, 46.03, 46.41, 46.22, 45.64, 46.21, 46.25, 45.71, 46.45, 45.78, 45.35, 44.03, 44.18, 44.22, 44.57, 43.42, 42.66, 43.13];
        double[] published = [70.53, 66.32, 66.55, 69.41, 66.36, 57.97, 62.93, 63.26, 56.06, 62.38, 54.71, 50.42, 39.99, 41.46,
            41.87, 45.46, 37.30, 33.09, 37.79];
        var rsi = Feed(new RelativeStrengthIndex(14), closes);
        Assert.All(rsi[..14], v => Assert.True(double.IsNaN(v)));
        for (var i = 0; i < published.Length; i++) Assert.Equal(published[i], rsi[14 + i], 0.08);
        Assert.Equal(33.09, rsi[^2], 0.006);
        Assert.Equal(37.79, rsi[^1], 0.006);
    }

    [Fact]
    public void Moving_averages_of_one_to_five()
    {
        // SMA3: 2, 3, 4. EMA3 (alpha 1/2, seed 1): 1, 1.5, 2.25, 3.125, 4.0625, published from the 3rd.
        // WMA3 weights 1,2,3 over 6: (1+4+9)/6, (2+6+12)/6, (3+8+15)/6.
        double[] x = [1, 2, 3, 4, 5];
        Assert.Equal([double.NaN, double.NaN, 2, 3, 4], Feed(new SimpleMovingAverage(3), x));
        Assert.Equal([double.NaN, double.NaN, 2.25, 3.125, 4.0625], Feed(new ExponentialMovingAverage(3), x));
        var wma = Feed(new WeightedMovingAverage(3), x);
        Assert.Equal(14 / 6.0, wma[2], 12);
        Assert.Equal(20 / 6.0, wma[3], 12);
        Assert.Equal(26 / 6.0, wma[4], 12);
    }

    [Fact]
    public void Macd_small_periods_by_hand()
    {
        // MACD(2,3,2) of 1,2,3,4. Fast EMA alpha 2/3: 1, 5/3, 23/9, 95/27. Slow alpha 1/2: 1, 3/2, 9/4, 25/8.
        // Line: 0, 1/6, 11/36, 85/216 (published from bar 3). Signal (alpha 2/3, seeded 0): 0, 1/9, 13/54, 37/108,
        // published from bar 3 + 2 - 1 = 4; histogram 85/216 - 74/216 = 11/216.
        var macd = new MovingAverageConvergenceDivergence(2, 3, 2);
        macd.Update(1);
        macd.Update(2);
        macd.Update(3);
        Assert.Equal(11 / 36.0, macd.Line, 12);
        Assert.True(double.IsNaN(macd.Signal));
        macd.Update(4);
        Assert.Equal(85 / 216.0, macd.Line, 12);
        Assert.Equal(37 / 108.0, macd.Signal, 12);
        Assert.Equal(11 / 216.0, macd.Histogram, 12);
        Assert.Equal(macd.Histogram, macd.Value);
    }

    [Fact]
    public void Bollinger_uses_the_population_standard_deviation()
    {
        // 2,4,4,4,5,5,7,9: mean 5, population sd exactly 2 (the sample sd would be 2.138). Bands 5 +/- 4.
        var bb = new BollingerBands(8, 2);
        Feed(bb, 2, 4, 4, 4, 5, 5, 7, 9);
        Assert.Equal(5, bb.Middle, 12);
        Assert.Equal(9, bb.Upper, 12);
        Assert.Equal(1, bb.Lower, 12);
        Assert.Equal(1, bb.PercentB, 12); // the close, 9, sits on the upper band
    }

    [Fact]
    public void Atr_by_hand_with_a_gap()
    {
        // TR: bar 1 high-low = 2; bar 2 max(2, |11-9|, |9-9|) = 2; bar 3 gaps up: max(1, |14-10.5|, |13-10.5|) = 3.5.
        // ATR3 = (2+2+3.5)/3 = 2.5; bar 4 TR max(1.5, 0, 1.5) = 1.5, Wilder: (2.5*2 + 1.5)/3 = 13/6.
        var atr = new AverageTrueRange(3);
        atr.Update(B(0, 10, 8, 9));
        atr.Update(B(1, 11, 9, 10.5));
        Assert.True(double.IsNaN(atr.Value));
        Assert.Equal(2.5, atr.Update(B(2, 14, 13, 13.5)), 12);
        Assert.Equal(13 / 6.0, atr.Update(B(3, 13.5, 12, 12.5)), 12);
    }

    [Fact]
    public void Stochastic_by_hand()
    {
        // %K3 at bar 3: highest 12, lowest 7, close 8: 100 * 1/5 = 20. Bar 4: window bars 2-4, highest 13, lowest 7,
        // close 12: 100 * 5/6. %D2 = (20 + 83.33)/2.
        var st = new Stochastic(3, 2);
        st.Update(B(0, 10, 8, 9));
        st.Update(B(1, 12, 9, 11));
        st.Update(B(2, 11, 7, 8));
        Assert.Equal(20, st.K, 12);
        Assert.True(double.IsNaN(st.D));
        st.Update(B(3, 13, 10, 12));
        Assert.Equal(500 / 6.0, st.K, 12);
        Assert.Equal((20 + 500 / 6.0) / 2, st.D, 12);
    }

    [Fact]
    public void Adx_of_a_staircase_is_one_hundred()
    {
        // Each bar's high and low rise by 1 with a range of 2 and close in the middle: +DM 1, -DM 0, TR 2, so +DI = 50,
        // -DI = 0, DX = 100 at every bar, and ADX = 100 from bar 2n.
        var adx = new AverageDirectionalIndex(5);
        for (var t = 0; t < 10; t++) adx.Update(B(t, t + 2, t, t + 1));
        Assert.Equal(50, adx.PlusDi, 12);
        Assert.Equal(0, adx.MinusDi, 12);
        Assert.Equal(100, adx.Value, 12);
    }

    [Fact]
    public void Obv_mfi_vwap_and_volume_z_by_hand()
    {
        // OBV: closes 10, 11, 11, 10.5, 12 with volumes 100..500: 0, +200, +0, -400, +500 = 300.
        var obv = new OnBalanceVolume();
        double[] closes = [10, 11, 11, 10.5, 12];
        for (var i = 0; i < 5; i++) obv.Update(B(i, closes[i], closes[i], closes[i], 100 * (i + 1)));
        Assert.Equal(300, obv.Value);

        // Typical prices 10, 11, 10.5, 12 with volumes 1..4 (flat bars, so typical = close). Flows: +22, -31.5, +48.
        // MFI2 at bar 3: 100 * 22/53.5; at bar 4: 100 * 48/79.5. VWAP2 at bar 2: (10 + 22)/3.
        var mfi = new MoneyFlowIndex(2);
        var vwap = new RollingVwap(2);
        double[] typical = [10, 11, 10.5, 12];
        var m = new double[4];
        var v = new double[4];
        for (var i = 0; i < 4; i++)
        {
            var bar = B(i, typical[i], typical[i], typical[i], i + 1);
            m[i] = mfi.Update(bar);
            v[i] = vwap.Update(bar);
        }
        Assert.True(double.IsNaN(m[1]));
        Assert.Equal(2200 / 53.5, m[2], 10);
        Assert.Equal(4800 / 79.5, m[3], 10);
        Assert.Equal(32 / 3.0, v[1], 12);

        // Volumes 1..5: mean 3, sample sd sqrt(2.5); the last bar is (5-3)/sqrt(2.5) = 1.2649 sds above.
        var z = new VolumeZScore(5);
        for (var i = 0; i < 5; i++) z.Update(B(i, 1, 1, 1, i + 1));
        Assert.Equal(2 / Math.Sqrt(2.5), z.Value, 12);
    }

    [Fact]
    public void Volatility_estimators_by_hand()
    {
        // Every bar spans H/L = e (ln 1) and runs O->C by a factor e^0.5. Parkinson per bar: 1/(4 ln 2);
        // Garman-Klass per bar: 0.5 - (2 ln 2 - 1) * 0.25; each annualised sqrt(mean * 365).
        var park = new ParkinsonVolatility(20);
        var gk = new GarmanKlassVolatility(20);
        for (var i = 0; i < 20; i++)
        {
            var bar = new Bar(TestBars.T0.AddHours(i), TimeSpan.FromHours(1), 100, 100 * Math.E, 100, 100 * Math.Exp(0.5), 1);
            park.Update(bar);
            gk.Update(bar);
        }
        Assert.Equal(Math.Sqrt(365 / (4 * Math.Log(2))), park.Value, 12);
        Assert.Equal(Math.Sqrt((0.5 - (2 * Math.Log(2) - 1) * 0.25) * 365), gk.Value, 12);

        // Closes alternating up and down 1% in log: 20 returns of +/-0.01, mean 0, SAMPLE sd 0.01 sqrt(20/19).
        var rv = new RealisedVolatility(20);
        var price = 100.0;
        rv.Update(price);
        for (var i = 0; i < 20; i++) rv.Update(price *= Math.Exp(i % 2 == 0 ? 0.01 : -0.01));
        Assert.Equal(0.01 * Math.Sqrt(20 / 19.0) * Math.Sqrt(365), rv.Value, 12);
    }

    [Fact]
    public void Flat_markets_give_defined_values()
    {
        // No change at all: RSI 50, MFI 50, %K 50, volume z 0, volatilities 0, ADX 0; nothing divides by zero.
        var rsi = new RelativeStrengthIndex(14);
        var mfi = new MoneyFlowIndex(14);
        var st = new Stochastic(14, 3);
        var z = new VolumeZScore(20);
        var park = new ParkinsonVolatility(20);
        var adx = new AverageDirectionalIndex(14);
        for (var i = 0; i < 40; i++)
        {
            var bar = B(i, 50, 50, 50, 7);
            rsi.Update(bar);
            mfi.Update(bar);
            st.Update(bar);
            z.Update(bar);
            park.Update(bar);
            adx.Update(bar);
        }
        Assert.Equal(50, rsi.Value);
        Assert.Equal(50, mfi.Value);
        Assert.Equal(50, st.K);
        Assert.Equal(0, z.Value);
        Assert.Equal(0, park.Value);
        Assert.Equal(0, adx.Value);
    }
}
