using System.Globalization;
using AgentFirm.Core;

namespace AgentFirm.Quant.Firm;

public sealed record EvidenceOptions
{
    /// <summary>Resolved calls each agent's calibration and the final calibration remember.</summary>
    public int Window { get; init; } = 750;

    /// <summary>Precision of the prior on each agent's slope (centred on 0: no trust until earned).</summary>
    public double AgentRidge { get; init; } = 1.0;

    /// <summary>Standard errors an agent's slope is shrunk by: a link not this far from zero counts for nothing.</summary>
    public double SignificanceZ { get; init; } = 1.0;

    /// <summary>Precision of the prior on the final calibration slope (centred on 1: the pooled evidence taken as it is).</summary>
    public double CalibrationRidge { get; init; } = 2.0;

    /// <summary>Fewest resolved firm calls in each level of the isotonic recalibration (until the window holds that many, a logistic slope recalibrates).</summary>
    public int CalibrationBlock { get; init; } = 300;

    /// <summary>Hedge learning rate η and per-call discount δ of the regime-conditional skill weights.</summary>
    public double HedgeLearningRate { get; init; } = 0.1;
    public double HedgeDiscount { get; init; } = 0.995;

    /// <summary>Resolved calls between refits of a slope (each refit is a few Newton steps over the window).</summary>
    public int RefitEvery { get; init; } = 3;

    public void Validate()
    {
        if (Window < 20) throw new ArgumentException($"AgentFirm:Evidence:Window must be at least 20 calls, got {Window}.");
        if (!(AgentRidge > 0) || !(CalibrationRidge > 0)) throw new ArgumentException($"AgentFirm:Evidence:AgentRidge and CalibrationRidge must be positive, got {AgentRidge} and {CalibrationRidge}.");
        if (!(SignificanceZ >= 0) || !double.IsFinite(SignificanceZ)) throw new ArgumentException($"AgentFirm:Evidence:SignificanceZ must be >= 0, got {SignificanceZ}.");
        if (!(HedgeLearningRate >= 0) || !double.IsFinite(HedgeLearningRate)) throw new ArgumentException($"AgentFirm:Evidence:HedgeLearningRate must be >= 0, got {HedgeLearningRate}.");
        if (!(HedgeDiscount is > 0 and <= 1)) throw new ArgumentException($"AgentFirm:Evidence:HedgeDiscount must be in (0, 1], got {HedgeDiscount}.");
        if (CalibrationBlock < 1 || CalibrationBlock > Window) throw new ArgumentException($"AgentFirm:Evidence:CalibrationBlock must be between 1 and Window ({Window}) calls, got {CalibrationBlock}.");
        if (RefitEvery < 1) throw new ArgumentException($"AgentFirm:Evidence:RefitEvery must be at least 1, got {RefitEvery}.");
    }
}

/// <summary>
/// The meta-controller's decision for one symbol: the calibrated probability that the price is higher
/// after <see cref="Horizon"/>, the direction it implies and the confidence that direction is right.
/// </summary>
public sealed record MetaCall(
    string Symbol,
    double ProbabilityUp,
    TimeSpan Horizon,
    IReadOnlyDictionary<string, double> Contributions,
    string Explanation)
{
    public int Direction => ProbabilityUp > 0.5 ? 1 : ProbabilityUp < 0.5 ? -1 : 0;

    /// <summary>The probability that <see cref="Direction"/> is right (0.5 when there is no call).</summary>
    public double Confidence => Math.Max(ProbabilityUp, 1 - ProbabilityUp);
}

/// <summary>
/// Turns the analysts' views into one calibrated call per asset, learning whom to trust from resolved
/// outcomes only:
/// 1. each agent's signed strength x = direction x confidence is a feature of a logistic stacking model
///    (<see cref="StackedLogistic"/>) fitted walk-forward on the firm's resolved calls: agents are weighed
///    jointly, so independent evidence adds and an echo adds little; each coefficient is shrunk to zero
///    unless significant (an agent with no demonstrated link is ignored);
/// 2. Hedge skill weights per agent and regime scale each agent's contribution: an agent whose own calls,
///    scored at the horizon it stated through its own logistic calibration, have been worse in this regime
///    counts for less;
/// 3. one more logistic slope, fitted on the firm's own resolved calls, recalibrates the pool, so the
///    confidence reads as the probability of being right.
/// The firm's call is for the shortest horizon its analysts state on the asset. Every call is scored only
/// when its horizon has passed; nothing here sees a price the firm could not.
/// </summary>
public sealed class EvidenceCombiner
{
    private readonly EvidenceOptions _options;
    private readonly Dictionary<string, OnlineLogistic> _agents = new(StringComparer.Ordinal);
    private readonly OnlineLogistic _calibration;
    private readonly StackedLogistic _stack;
    private readonly IsotonicCalibration _isotonic;
    private readonly Dictionary<string, int> _inputIndex = new(StringComparer.Ordinal);
    private readonly HedgeWeights _hedge;
    private readonly Dictionary<string, List<PendingCall>> _pending = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, double> _weights = new(StringComparer.Ordinal);
    private readonly List<string> _agentNames = [];

    public EvidenceCombiner(EvidenceOptions? options = null)
    {
        _options = options ?? new EvidenceOptions();
        _options.Validate();
        _calibration = new OnlineLogistic(_options.Window, _options.CalibrationRidge, prior: (0, 1), _options.RefitEvery);
        _hedge = new HedgeWeights(_options.HedgeLearningRate, _options.HedgeDiscount);
        _stack = new StackedLogistic(_options.Window, _options.AgentRidge, _options.RefitEvery);
        _isotonic = new IsotonicCalibration(_options.Window, _options.CalibrationBlock, _options.RefitEvery);
    }

    /// <summary>The firm's resolved calls: stated confidence against observed hit rate.</summary>
    public ReliabilityTable Reliability { get; private set; } = new();

    /// <summary>Starts the reliability table afresh (at the end of a warm-up); what was learned stays.</summary>
    public void ResetReliability() => Reliability = new ReliabilityTable();

    /// <summary>The agent's trust: the log-odds of up a full-strength bullish view adds to the firm's pool, its stacking coefficient shrunk for significance (0 = ignored).</summary>
    public double Trust(string agent) => _inputIndex.TryGetValue(agent, out var index) ? _stack.Shrunk(index, _options.SignificanceZ) : 0;

    public OnlineLogistic? AgentCalibration(string agent) => _agents.GetValueOrDefault(agent);

    /// <summary>The logistic recalibration's slope on the pooled log-odds (1 = the pool taken as it is); it recalibrates only until the isotonic curve has its first level.</summary>
    public double CalibrationSlope => _calibration.Coefficients.Linear;

    private enum CallKind { Agent, Firm }

    private const string FirmCaller = "firm";

    private sealed record PendingCall(CallKind Kind, string Agent, Regime Regime, DateTimeOffset Due, double EntryClose, double Input, double Probability,
        double[]? Features = null);

    /// <summary>
    /// Scores every pending call on <paramref name="symbol"/> whose horizon has passed by this bar's close.
    /// Call it with each closed bar before <see cref="Decide"/>.
    /// </summary>
    public void Observe(string symbol, DateTimeOffset closeTime, double close)
    {
        if (!(close > 0) || !_pending.TryGetValue(symbol, out var list)) return;
        for (var i = list.Count - 1; i >= 0; i--)
        {
            var call = list[i];
            if (call.Due > closeTime) continue;
            list[i] = list[^1];
            list.RemoveAt(list.Count - 1);
            if (close == call.EntryClose) continue; // a flat outcome says nothing about direction
            var up = close > call.EntryClose;
            if (call.Kind == CallKind.Agent)
            {
                Calibration(call.Agent).Add(call.Input, up);
                _hedge.Score(call.Agent, call.Regime, up ? call.Probability : 1 - call.Probability);
            }
            else
            {
                _stack.Add(call.Features!, up);
                if (call.Input == 0) continue; // no call was made: nothing to calibrate or score
                _calibration.Add(call.Input, up);
                _isotonic.Add(Math.Abs(call.Input), up == call.Input > 0);
                var confidence = Math.Max(call.Probability, 1 - call.Probability);
                Reliability.Add(confidence, up == call.Probability > 0.5);
            }
        }
    }

    /// <summary>
    /// The calibrated call on <paramref name="symbol"/> from its views, and the regime's skill weights
    /// written into <paramref name="weights"/>. Registers the agents' calls and the firm's call for scoring.
    /// </summary>
    public MetaCall Decide(string symbol, IReadOnlyList<AgentView> views, Regime regime, DateTimeOffset time, double close,
        TimeSpan barDuration, IDictionary<string, double> weights)
    {
        _agentNames.Clear();
        foreach (var v in views)
            if (string.Equals(v.Symbol, symbol, StringComparison.OrdinalIgnoreCase) && !_agentNames.Contains(v.Agent)) _agentNames.Add(v.Agent);
        _hedge.Weights(_agentNames, regime, _weights);

        var contributions = new Dictionary<string, double>(_agentNames.Count, StringComparer.Ordinal);
        var features = new double[StackedLogistic.MaxInputs];
        var inputs = 0;
        var pooled = 0.0;
        var dominant = (Agent: (string?)null, Size: 0.0);
        var callHorizon = TimeSpan.MaxValue;
        foreach (var raw in views)
        {
            if (!string.Equals(raw.Symbol, symbol, StringComparison.OrdinalIgnoreCase)) continue;
            // the view's sanitised strength (as AgentView.Sanitised), without copying the view every step
            var direction = double.IsFinite(raw.Direction) ? Math.Clamp(raw.Direction, -1, 1) : 0;
            var confidence = double.IsFinite(raw.Confidence) ? Math.Clamp(raw.Confidence, 0, 1) : 0;
            var x = direction * confidence;
            var agent = raw.Agent;
            var horizon = raw.Horizon > TimeSpan.Zero ? raw.Horizon : barDuration;
            if (horizon < callHorizon) callHorizon = horizon;
            var weight = _weights[agent];
            weights[agent] = weight;
            if (!TryInput(agent, out var index)) continue;
            inputs = Math.Max(inputs, index + 1);
            if (x == 0) continue;
            features[index] = x;
            var contribution = weight * _stack.Shrunk(index, _options.SignificanceZ) * x;
            if (contribution != 0) contributions[agent] = contribution;
            pooled += contribution;
            if (Math.Abs(contribution) > dominant.Size) dominant = (agent, Math.Abs(contribution));
            if (close > 0 && !Awaiting(symbol, agent))
            {
                var own = Calibration(agent).LogOdds(x, _options.SignificanceZ);
                Pending(symbol).Add(new PendingCall(CallKind.Agent, agent, regime, time + horizon, close, x, OnlineLogistic.Sigmoid(own)));
            }
        }
        if (callHorizon == TimeSpan.MaxValue) callHorizon = barDuration;

        var probabilityUp = Recalibrate(pooled);
        // Every call with a view is a lesson for the stacking model, even one that pooled to nothing yet.
        if (inputs > 0 && close > 0 && !Awaiting(symbol, FirmCaller))
            Pending(symbol).Add(new PendingCall(CallKind.Firm, FirmCaller, regime, time + callHorizon, close, pooled, probabilityUp, features[..inputs]));
        return new MetaCall(symbol, probabilityUp, callHorizon, contributions, Explain(probabilityUp, dominant.Agent, contributions.Count));
    }

    /// <summary>
    /// P(up) from the pooled log-odds: the isotonic curve of the firm's resolved calls once it has enough of them,
    /// a logistic slope before (unshrunk, its prior "take the pool as it is"). Either may damp or sharpen the
    /// pool, never flip it: evidence the firm's record says is no better than a coin is no call.
    /// </summary>
    private double Recalibrate(double pooled)
    {
        if (pooled == 0) return 0.5;
        if (_isotonic.Ready)
        {
            var right = _isotonic.ProbabilityRight(Math.Abs(pooled));
            return right <= 0.5 ? 0.5 : pooled > 0 ? right : 1 - right;
        }
        var calibrated = _calibration.LogOdds(pooled, 0);
        return Math.Sign(calibrated) != Math.Sign(pooled) ? 0.5 : OnlineLogistic.Sigmoid(calibrated);
    }

    /// <summary>The agent's column in the stacking model; false once every column is taken (its views are then only scored, not pooled).</summary>
    private bool TryInput(string agent, out int index)
    {
        if (_inputIndex.TryGetValue(agent, out index)) return true;
        if (_inputIndex.Count >= StackedLogistic.MaxInputs) return false;
        _inputIndex[agent] = index = _inputIndex.Count;
        return true;
    }

    /// <summary>
    /// Whether a call of <paramref name="caller"/> on the symbol is still waiting for its outcome. Calls whose
    /// horizons overlap (a one-day call made every hour) share most of their outcome, so only non-overlapping
    /// calls are scored: each is independent evidence, and the window of calls spans the same stretch of
    /// market on hourly bars as on daily ones.
    /// </summary>
    private bool Awaiting(string symbol, string caller)
    {
        if (!_pending.TryGetValue(symbol, out var list)) return false;
        foreach (var call in list)
            if (call.Agent == caller) return true;
        return false;
    }

    private OnlineLogistic Calibration(string agent)
    {
        if (!_agents.TryGetValue(agent, out var calibration))
            _agents[agent] = calibration = new OnlineLogistic(_options.Window, _options.AgentRidge, default, _options.RefitEvery);
        return calibration;
    }

    private List<PendingCall> Pending(string symbol)
    {
        if (!_pending.TryGetValue(symbol, out var list)) _pending[symbol] = list = new List<PendingCall>();
        return list;
    }

    private static string Explain(double probabilityUp, string? leader, int voices)
    {
        if (leader is null) return voices == 0 ? "no analyst has a view" : "no analyst has earned trust yet: no call";
        var side = probabilityUp > 0.5 ? "up" : "down";
        return string.Create(CultureInfo.InvariantCulture, $"P({side}) {Math.Max(probabilityUp, 1 - probabilityUp):0.000}, led by {leader}");
    }
}
