using System.Globalization;
using AgentFirm.Core;
using AgentFirm.Quant.Validation;

namespace AgentFirm.Quant.Sizing;

/// <summary>A calibrated call on one asset: the probability the price is higher after the horizon.</summary>
public sealed record EdgeSignal(string Symbol, double ProbabilityUp, TimeSpan Horizon, bool CanShort);

/// <summary>The weight the book should hold, the weight it holds, whether to trade and why.</summary>
public sealed record SizedTarget(string Symbol, double TargetWeight, double CurrentWeight, bool Trade, string Reason);

/// <summary>
/// Sizing from calibrated edge (the tactical agent's math). For an asset with calibrated P(up) = p the edge
/// is 2p - 1; if the move over the horizon is Gaussian with volatility σ_h, P(up) = Φ(μ/σ_h), so the
/// expected move is μ = σ_h Φ⁻¹(p).
/// - No position while that expected move does not pay the round trip (2 x the one-way cost).
/// - Volatility targeting: weights ∝ conviction x direction / σ, scaled so that the book at full conviction
///   has the target volatility given the assets' correlation (three correlated longs are one big bet);
///   or a fraction of Kelly's Σ⁻¹μ, capped at the same volatility.
/// - The risk budget of the regime scales the book; gross and per-asset caps apply last.
/// - A no-trade band from costs: under mean-variance utility the gain of moving Δw toward a target w* is
///   (γσ²/2)Δw² with γσ² = μ/w*, the cost c|Δw|, so a trade pays only when |Δw| > 2c|w*|/μ. Closing to flat
///   always trades. Spot cannot be shorted: a bearish view there is held as flat, and the reason says so.
/// Returns and volatilities are the assets' own past closes only.
/// </summary>
public sealed class ConvictionSizer
{
    private readonly TacticalOptions _options;
    private readonly double _periodsPerYear;
    private readonly TimeSpan _bar;
    private readonly double _oneWayCost;
    private readonly Dictionary<string, ReturnHistory> _returns = new(StringComparer.OrdinalIgnoreCase);

    public ConvictionSizer(TacticalOptions options, Timeframe timeframe, double oneWayCostBps)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (timeframe.Duration <= TimeSpan.Zero) throw new ArgumentException("The timeframe must be positive.", nameof(timeframe));
        _options = options;
        _periodsPerYear = timeframe.PeriodsPerYear;
        _bar = timeframe.Duration;
        _oneWayCost = (options.CostBps ?? oneWayCostBps) / 10_000;
    }

    public double OneWayCost => _oneWayCost;

    /// <summary>Feeds one closed bar's close of a symbol (in time order).</summary>
    public void Update(string symbol, double close)
    {
        if (!_returns.TryGetValue(symbol, out var history))
            _returns[symbol] = history = new ReturnHistory(Math.Max(_options.CorrelationWindow, _options.VolatilityWindow));
        history.Add(close);
    }

    /// <summary>Annualised volatility of the last VolatilityWindow returns, or null while warming up.</summary>
    public double? Volatility(string symbol)
    {
        if (!_returns.TryGetValue(symbol, out var h) || h.Count < _options.VolatilityWindow) return null;
        var sd = h.StdDev(_options.VolatilityWindow);
        return sd > 0 ? sd * Math.Sqrt(_periodsPerYear) : null;
    }

    /// <summary>The book's targets for these signals, given the current weights (position notional / equity).</summary>
    public IReadOnlyList<SizedTarget> Size(IReadOnlyList<EdgeSignal> signals, double riskBudget, IReadOnlyDictionary<string, double> currentWeights)
    {
        var n = signals.Count;
        var direction = new double[n];
        var conviction = new double[n];
        var sigma = new double[n];
        var expectedMove = new double[n];
        var reasons = new string?[n];
        var budget = double.IsFinite(riskBudget) ? Math.Clamp(riskBudget, 0, 1) : 0;

        for (var i = 0; i < n; i++)
        {
            var s = signals[i];
            var p = double.IsFinite(s.ProbabilityUp) ? Math.Clamp(s.ProbabilityUp, 0, 1) : 0.5;
            var edge = Math.Abs(2 * p - 1);
            var dir = Math.Sign(p - 0.5);
            if (dir == 0) { reasons[i] = "no call: flat"; continue; }
            if (dir < 0 && !s.CanShort) { reasons[i] = Inv($"bearish (P(down) {1 - p:0.000}) but spot is long-only: flat"); continue; }
            if (Volatility(s.Symbol) is not { } vol) { reasons[i] = Inv($"volatility not known yet ({_options.VolatilityWindow} returns needed): flat"); continue; }
            var horizonYears = HorizonYears(s.Horizon);
            var move = Math.Abs(StandardNormal.InverseCdf(p)) * vol * Math.Sqrt(horizonYears);
            if (move <= 2 * _oneWayCost)
            {
                reasons[i] = Inv($"expected move {move * 1e4:0.0} bp over {HorizonText(s.Horizon)} does not pay the round trip ({2 * _oneWayCost * 1e4:0.0} bp): flat");
                continue;
            }
            direction[i] = dir;
            conviction[i] = Math.Min(1, edge / _options.FullConvictionEdge);
            sigma[i] = vol;
            expectedMove[i] = move;
        }

        var weights = _options.Method == SizingMethod.Kelly
            ? KellyWeights(signals, direction, sigma, expectedMove)
            : VolatilityTargetWeights(signals, direction, conviction, sigma);
        var capNote = new string?[n];
        for (var i = 0; i < n; i++)
        {
            weights[i] *= budget;
            if (Math.Abs(weights[i]) > _options.MaxWeight)
            {
                weights[i] = Math.Sign(weights[i]) * _options.MaxWeight;
                capNote[i] = Inv($", capped at {_options.MaxWeight:0.##}");
            }
        }
        var gross = weights.Sum(Math.Abs);
        var grossScale = gross > _options.MaxGross ? _options.MaxGross / gross : 1;

        var targets = new SizedTarget[n];
        for (var i = 0; i < n; i++)
        {
            var s = signals[i];
            var current = currentWeights.TryGetValue(s.Symbol, out var c) && double.IsFinite(c) ? c : 0;
            var target = weights[i] * grossScale;
            if (direction[i] == 0)
            {
                targets[i] = new SizedTarget(s.Symbol, 0, current, current != 0, reasons[i]!);
                continue;
            }
            var why = Inv($"P({(direction[i] > 0 ? "up" : "down")}) {Math.Max(signals[i].ProbabilityUp, 1 - signals[i].ProbabilityUp):0.000}, conviction {conviction[i]:0.00}, vol {sigma[i]:0.00}, budget {budget:0.00}: weight {target:+0.000;-0.000}{capNote[i]}{(grossScale < 1 ? Inv($", gross scaled by {grossScale:0.00}") : "")}");
            var band = 2 * _oneWayCost * Math.Abs(target) / expectedMove[i];
            var change = Math.Abs(target - current);
            var trade = change > band;
            targets[i] = new SizedTarget(s.Symbol, target, current, trade,
                trade ? why : why + Inv($"; holding {current:+0.000;-0.000}: a change of {change:0.000} is inside the no-trade band {band:0.000}"));
        }
        return targets;
    }

    private double[] VolatilityTargetWeights(IReadOnlyList<EdgeSignal> signals, double[] direction, double[] conviction, double[] sigma)
    {
        var n = signals.Count;
        var weights = new double[n];
        // The book's volatility if every active asset were held at full conviction: sqrt(Σ d_i d_j ρ_ij).
        var fullVariance = 0.0;
        for (var i = 0; i < n; i++)
            for (var j = 0; j < n; j++)
                if (direction[i] != 0 && direction[j] != 0)
                    fullVariance += direction[i] * direction[j] * Correlation(signals[i].Symbol, signals[j].Symbol);
        if (!(fullVariance > 0)) return weights;
        var scale = _options.TargetVolatility / Math.Sqrt(fullVariance);
        for (var i = 0; i < n; i++)
            if (direction[i] != 0) weights[i] = scale * conviction[i] * direction[i] / sigma[i];
        return weights;
    }

    private double[] KellyWeights(IReadOnlyList<EdgeSignal> signals, double[] direction, double[] sigma, double[] expectedMove)
    {
        var n = signals.Count;
        var weights = new double[n];
        var active = Enumerable.Range(0, n).Where(i => direction[i] != 0).ToArray();
        if (active.Length == 0) return weights;
        // Annualised drift and covariance of the active assets; Kelly's growth-optimal weights are Σ⁻¹μ.
        var m = active.Length;
        var covariance = new double[m, m];
        var drift = new double[m];
        for (var a = 0; a < m; a++)
        {
            var i = active[a];
            var horizonYears = HorizonYears(signals[i].Horizon);
            drift[a] = direction[i] * expectedMove[i] / horizonYears;
            for (var b = 0; b < m; b++)
                covariance[a, b] = sigma[i] * sigma[active[b]] * Correlation(signals[i].Symbol, signals[active[b]].Symbol);
        }
        var kelly = SymmetricSolve(covariance, drift);
        if (kelly is null) return weights;
        var variance = 0.0;
        for (var a = 0; a < m; a++)
            for (var b = 0; b < m; b++)
                variance += kelly[a] * kelly[b] * covariance[a, b];
        var fraction = _options.KellyFraction;
        var bookVol = fraction * Math.Sqrt(Math.Max(variance, 0));
        if (bookVol > _options.TargetVolatility) fraction *= _options.TargetVolatility / bookVol;
        for (var a = 0; a < m; a++) weights[active[a]] = fraction * kelly[a];
        return weights;
    }

    /// <summary>Correlation of two assets' returns over their last CorrelationWindow common bars; 1 on the diagonal, 0 when unknown.</summary>
    private double Correlation(string a, string b)
    {
        if (string.Equals(a, b, StringComparison.OrdinalIgnoreCase)) return 1;
        if (!_returns.TryGetValue(a, out var x) || !_returns.TryGetValue(b, out var y)) return 0;
        var count = Math.Min(Math.Min(x.Count, y.Count), _options.CorrelationWindow);
        if (count < 10) return 0;
        return Math.Clamp(ReturnHistory.Correlation(x, y, count), -1, 1);
    }

    /// <summary>Solves A x = b for a small symmetric positive definite A by Cholesky; null if A is not positive definite.</summary>
    private static double[]? SymmetricSolve(double[,] a, double[] b)
    {
        var n = b.Length;
        var l = new double[n, n];
        for (var i = 0; i < n; i++)
            for (var j = 0; j <= i; j++)
            {
                var sum = a[i, j];
                for (var k = 0; k < j; k++) sum -= l[i, k] * l[j, k];
                if (i == j)
                {
                    if (!(sum > 1e-14)) return null;
                    l[i, i] = Math.Sqrt(sum);
                }
                else l[i, j] = sum / l[j, j];
            }
        var y = new double[n];
        for (var i = 0; i < n; i++)
        {
            var sum = b[i];
            for (var k = 0; k < i; k++) sum -= l[i, k] * y[k];
            y[i] = sum / l[i, i];
        }
        var x = new double[n];
        for (var i = n - 1; i >= 0; i--)
        {
            var sum = y[i];
            for (var k = i + 1; k < n; k++) sum -= l[k, i] * x[k];
            x[i] = sum / l[i, i];
        }
        return x;
    }

    /// <summary>A horizon shorter than one bar is one bar: nothing can be done sooner.</summary>
    private double HorizonYears(TimeSpan horizon) => (horizon > _bar ? horizon : _bar).TotalDays / 365.0;

    private static string HorizonText(TimeSpan horizon) =>
        horizon.TotalHours >= 24 && horizon.TotalHours % 24 == 0 ? $"{horizon.TotalDays:0} d" : $"{horizon.TotalHours:0.#} h";

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>The latest log returns of one asset in a ring buffer (newest last).</summary>
    private sealed class ReturnHistory(int capacity)
    {
        private readonly double[] _values = new double[capacity];
        private int _next;
        private double _lastClose = double.NaN;

        public int Count { get; private set; }

        public void Add(double close)
        {
            if (!(close > 0) || !double.IsFinite(close)) return;
            if (_lastClose > 0)
            {
                _values[_next] = Math.Log(close / _lastClose);
                _next = (_next + 1) % _values.Length;
                Count = Math.Min(Count + 1, _values.Length);
            }
            _lastClose = close;
        }

        /// <summary>The k-th most recent return, k = 0 the newest.</summary>
        public double Recent(int k) => _values[(_next - 1 - k + 2 * _values.Length) % _values.Length];

        public double StdDev(int window)
        {
            double sum = 0, sumSq = 0;
            for (var k = 0; k < window; k++) { var r = Recent(k); sum += r; sumSq += r * r; }
            var mean = sum / window;
            return Math.Sqrt(Math.Max(0, (sumSq - window * mean * mean) / (window - 1)));
        }

        public static double Correlation(ReturnHistory x, ReturnHistory y, int count)
        {
            double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
            for (var k = 0; k < count; k++)
            {
                var a = x.Recent(k);
                var b = y.Recent(k);
                sx += a; sy += b; sxx += a * a; syy += b * b; sxy += a * b;
            }
            var cov = sxy - sx * sy / count;
            var vx = sxx - sx * sx / count;
            var vy = syy - sy * sy / count;
            return vx > 0 && vy > 0 ? cov / Math.Sqrt(vx * vy) : 0;
        }
    }
}
