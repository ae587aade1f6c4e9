using AgentFirm.Core;
using AgentFirm.Quant.Indicators;

namespace AgentFirm.Quant.Analysis;

/// <summary>
/// The firm's technical analyst, streaming per symbol: <see cref="Update"/> with each closed bar, then
/// <see cref="View"/> at a decision time. Two views blended:
/// momentum (MACD histogram / ATR, close vs SMA20 in ATRs, 20-bar change in ATR x sqrt(20); mean of three
/// tanh scores) and mean reversion (RSI14 beyond 30/70, Bollinger %b squared away from the middle; fades
/// extremes). Direction = 0.6 momentum + 0.4 (1 - |momentum|) mean reversion: a strong trend silences the
/// fade, as oscillators stay pinned in trends. Confidence = agreement of the five weighted signals
/// (|sum w s| / sum w |s|) x sqrt of their mean strength, so it grows when the signals point the same way.
/// Optionally (off by default) a forecasting tool trained walk-forward on the same bars joins as evidence, and
/// its 2 P(up) - 1 is blended into the direction with <c>forecastWeight</c>.
/// </summary>
public sealed class TechnicalAnalyst
{
    public const string AgentName = "technical";

    private const int MomentumBars = 20;
    private const double MomentumWeight = 0.6;
    private const double MeanReversionWeight = 0.4;

    private readonly Dictionary<string, SymbolState> _symbols = new(StringComparer.Ordinal);

    private readonly IForecastTool? _forecaster;

    /// <param name="horizonBars">The view's horizon in bars of the symbol's timeframe.</param>
    /// <param name="forecaster">A forecasting tool fed the same bars; null (the default) leaves the analyst as it was.</param>
    /// <param name="forecastWeight">Share of the direction given to the tool's 2 P(up) - 1, in [0, 1].</param>
    public TechnicalAnalyst(int horizonBars = 24, IForecastTool? forecaster = null, double forecastWeight = 0.3)
    {
        if (horizonBars < 1) throw new ArgumentOutOfRangeException(nameof(horizonBars), horizonBars, "The horizon must be at least one bar.");
        if (!(forecastWeight >= 0 && forecastWeight <= 1)) throw new ArgumentOutOfRangeException(nameof(forecastWeight), forecastWeight, "The forecast weight must lie in [0, 1].");
        HorizonBars = horizonBars;
        _forecaster = forecaster;
        ForecastWeight = forecastWeight;
    }

    public int HorizonBars { get; }
    public double ForecastWeight { get; }

    /// <summary>Bars per symbol before the analyst has a view (MACD signal: 26 + 9 - 1).</summary>
    public static int WarmUpPeriod => 34;

    /// <summary>Feeds one closed bar of <paramref name="symbol"/>; bars must come in time order.</summary>
    public void Update(string symbol, in Bar bar)
    {
        ArgumentNullException.ThrowIfNull(symbol);
        if (!_symbols.TryGetValue(symbol, out var state)) _symbols[symbol] = state = new SymbolState();
        if (state.Bars > 0 && bar.Time < state.LastTime)
            throw new ArgumentException($"{symbol}: bar at {bar.Time:O} is before the previous one at {state.LastTime:O}; feed bars in time order.", nameof(bar));
        state.Update(bar);
        _forecaster?.Observe(symbol, bar);
    }

    /// <summary>The latest reading for a symbol without allocating; false until the symbol is warmed up.</summary>
    public bool TryRead(string symbol, out TechnicalReading reading)
    {
        if (_symbols.TryGetValue(symbol, out var state) && state.IsReady)
        {
            reading = state.Read();
            return true;
        }
        reading = default;
        return false;
    }

    /// <summary>
    /// The view at <paramref name="asOf"/>, from the bars fed so far. Throws <see cref="LookaheadException"/> when
    /// a bar fed to the analyst closes after <paramref name="asOf"/>: it cannot unsee it.
    /// </summary>
    public AgentView View(string symbol, DateTimeOffset asOf)
    {
        ArgumentNullException.ThrowIfNull(symbol);
        if (!_symbols.TryGetValue(symbol, out var state))
            return AgentView.Neutral(AgentName, symbol, asOf, TimeSpan.Zero, "No bars yet for this symbol.");
        if (state.LastCloseTime > asOf)
            throw new LookaheadException($"{symbol}: the analyst has seen a bar closing at {state.LastCloseTime:O}, after the decision time {asOf:O}.");
        var horizon = state.BarDuration * HorizonBars;
        if (!state.IsReady)
            return AgentView.Neutral(AgentName, symbol, asOf, horizon, "Warming up: too few bars for the technical indicators.");

        var r = state.Read();
        Evidence[] evidence =
        [
            new("close", r.Close),
            new("sma20", r.Sma20),
            new("atr14", r.Atr14),
            new("macd_hist", r.MacdHistogram),
            new("rsi14", r.Rsi14),
            new("bb_percent_b", r.PercentB),
            new("momentum20", r.Momentum20, "close / close 20 bars back - 1"),
            new("momentum_view", r.MomentumView),
            new("mean_reversion_view", r.MeanReversionView),
        ];
        var direction = r.Direction;
        if (_forecaster?.Forecast(symbol) is { } forecast)
        {
            // The tool must not have trained on a label that resolved after this decision.
            if (forecast.TrainedThrough > asOf)
                throw new LookaheadException($"{symbol}: {_forecaster.Name} was trained on a label resolved at {forecast.TrainedThrough:O}, after the decision time {asOf:O}.");
            evidence = [.. evidence, new Evidence("forecast_p_up", forecast.ProbabilityUp,
                $"{_forecaster.Name}, trained walk-forward on {forecast.TrainingSamples} labels resolved by {forecast.TrainedThrough:O}")];
            direction = Math.Clamp((1 - ForecastWeight) * direction + ForecastWeight * (2 * forecast.ProbabilityUp - 1), -1, 1);
        }
        return new AgentView(AgentName, symbol, asOf, direction, r.Confidence, horizon, evidence,
            Rationales.For(r.MomentumView, r.MeanReversionView, direction)).Sanitised();
    }

    /// <summary>Scores a reading's signals; public so tests and the bench can check the arithmetic directly.</summary>
    public static (double Momentum, double MeanReversion, double Direction, double Confidence) Score(
        double close, double sma20, double atr14, double macdHistogram, double rsi14, double percentB, double change20)
    {
        var macd = Math.Tanh(2 * Ratio(macdHistogram, atr14));
        var trend = Math.Tanh(Ratio(close - sma20, 2 * atr14));
        var momentum = Math.Tanh(Ratio(change20, atr14 * Math.Sqrt(MomentumBars)));
        var rsi = rsi14 > 70 ? -(rsi14 - 70) / 30 : rsi14 < 30 ? (30 - rsi14) / 30 : 0;
        var stretch = Math.Clamp(2 * percentB - 1, -1, 1);
        var band = -stretch * Math.Abs(stretch);

        var momentumView = (macd + trend + momentum) / 3;
        var meanReversionView = (rsi + band) / 2;
        var fade = MeanReversionWeight * (1 - Math.Abs(momentumView));

        // Five signals, weighted as they enter the direction.
        var wm = MomentumWeight / 3;
        var wr = fade / 2;
        var direction = wm * (macd + trend + momentum) + wr * (rsi + band);
        var spoken = wm * (Math.Abs(macd) + Math.Abs(trend) + Math.Abs(momentum)) + wr * (Math.Abs(rsi) + Math.Abs(band));
        var weights = 3 * wm + 2 * wr;
        var agreement = spoken > 0 ? Math.Abs(direction) / spoken : 0;
        var confidence = agreement * Math.Sqrt(spoken / weights);
        return (momentumView, meanReversionView, Math.Clamp(direction, -1, 1), Math.Clamp(confidence, 0, 1));
    }

    // A flat market (ATR 0, filler bars) gives no signal rather than NaN.
    private static double Ratio(double x, double scale) => scale > 0 && double.IsFinite(x) ? x / scale : 0;

    private sealed class SymbolState
    {
        private readonly SimpleMovingAverage _sma = new(20);
        private readonly AverageTrueRange _atr = new(14);
        private readonly RelativeStrengthIndex _rsi = new(14);
        private readonly MovingAverageConvergenceDivergence _macd = new(12, 26, 9);
        private readonly BollingerBands _bollinger = new(20, 2);
        private readonly RollingWindow _closes = new(MomentumBars + 1);

        public int Bars { get; private set; }
        public DateTimeOffset LastTime { get; private set; }
        public DateTimeOffset LastCloseTime { get; private set; }
        public TimeSpan BarDuration { get; private set; }
        public bool IsReady => _macd.IsReady && _closes.IsFull && _sma.IsReady && _atr.IsReady && _rsi.IsReady;

        public void Update(in Bar bar)
        {
            Bars++;
            LastTime = bar.Time;
            LastCloseTime = bar.CloseTime;
            BarDuration = bar.Duration;
            _sma.Update(bar.Close);
            _atr.Update(bar);
            _rsi.Update(bar.Close);
            _macd.Update(bar.Close);
            _bollinger.Update(bar.Close);
            _closes.Add(bar.Close);
        }

        public TechnicalReading Read()
        {
            var close = _closes.Ago(0);
            var change = close - _closes.Ago(MomentumBars);
            var (m, mr, direction, confidence) = Score(close, _sma.Value, _atr.Value, _macd.Histogram, _rsi.Value, _bollinger.PercentB, change);
            var past = _closes.Ago(MomentumBars);
            return new TechnicalReading(LastCloseTime, close, _sma.Value, _atr.Value, _macd.Histogram, _rsi.Value,
                _bollinger.PercentB, past > 0 ? close / past - 1 : 0, m, mr, direction, confidence);
        }
    }

    /// <summary>Fixed sentences (trend x stretch x stance), so a view's rationale costs no string building.</summary>
    private static class Rationales
    {
        private static readonly string[] Trend = ["Downtrend", "No clear trend", "Uptrend"];
        private static readonly string[] Stretch = ["overbought", "not stretched", "oversold"];
        private static readonly string[] Stance = ["leaning short", "staying flat", "leaning long"];
        private static readonly string[] Sentences = Build();

        public static string For(double momentum, double meanReversion, double direction) =>
            Sentences[9 * Bucket(momentum) + 3 * Bucket(meanReversion) + Bucket(direction)];

        private static int Bucket(double x) => x < -0.1 ? 0 : x > 0.1 ? 2 : 1;

        private static string[] Build()
        {
            var sentences = new string[27];
            for (var t = 0; t < 3; t++)
                for (var s = 0; s < 3; s++)
                    for (var d = 0; d < 3; d++)
                        sentences[9 * t + 3 * s + d] = $"{Trend[t]}, {Stretch[s]}: {Stance[d]}.";
            return sentences;
        }
    }
}
