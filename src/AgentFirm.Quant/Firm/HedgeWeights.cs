using AgentFirm.Core;

namespace AgentFirm.Quant.Firm;

/// <summary>
/// Skill weights per agent and regime by the Hedge rule (Freund &amp; Schapire 1997; multiplicative
/// weights): w ∝ exp(-η L), L the agent's discounted cumulative log-loss in excess of a coin flip's ln 2
/// on its resolved calls in that regime. The log score is proper, so an agent cannot gain weight by
/// overstating its confidence. Discounting (δ per call) lets trust move when an agent's edge fades.
/// Weights are scaled to a mean of one across the agents, so equal skill leaves every vote as it is.
/// </summary>
public sealed class HedgeWeights(double learningRate = 0.5, double discount = 0.995)
{
    private readonly Dictionary<(string Agent, Regime Regime), double> _loss = new();

    /// <summary>Scores one resolved call: the probability the agent gave to the move that happened.</summary>
    public void Score(string agent, Regime regime, double probabilityOfOutcome)
    {
        var p = Math.Clamp(double.IsFinite(probabilityOfOutcome) ? probabilityOfOutcome : 0.5, 0.01, 0.99);
        var key = (agent, regime);
        _loss[key] = discount * _loss.GetValueOrDefault(key) + (-Math.Log(p) - Math.Log(2));
    }

    /// <summary>The agent's excess log-loss in the regime (negative = better than a coin flip).</summary>
    public double ExcessLoss(string agent, Regime regime) => _loss.GetValueOrDefault((agent, regime));

    /// <summary>Writes the weights of <paramref name="agents"/> in <paramref name="regime"/> into <paramref name="weights"/>.</summary>
    public void Weights(IReadOnlyList<string> agents, Regime regime, IDictionary<string, double> weights)
    {
        if (agents.Count == 0) return;
        var best = double.PositiveInfinity;
        foreach (var a in agents) best = Math.Min(best, ExcessLoss(a, regime));
        var sum = 0.0;
        foreach (var a in agents)
        {
            var w = Math.Exp(-learningRate * (ExcessLoss(a, regime) - best));
            weights[a] = w;
            sum += w;
        }
        var scale = agents.Count / sum;
        foreach (var a in agents) weights[a] *= scale;
    }
}
