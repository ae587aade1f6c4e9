using System.Diagnostics;
using AgentFirm.Core;
using AgentFirm.Quant.Execution;
using TorchSharp;
using static TorchSharp.torch;

namespace AgentFirm.Models.Deep.Execution;

/// <summary>How the RL execution agent is trained.</summary>
public sealed record PpoSettings
{
    public int Iterations { get; init; } = 60;
    public int EpisodesPerIteration { get; init; } = 64;
    public int Epochs { get; init; } = 4;
    public int MinibatchSize { get; init; } = 512;
    public int Hidden { get; init; } = 32;
    public double LearningRate { get; init; } = 1e-3;
    public double Clip { get; init; } = 0.2;
    public double EntropyBonus { get; init; } = 0.01;
    /// <summary>Iterations between greedy checks on the validation parents; the best check's weights are kept.</summary>
    public int ValidateEvery { get; init; } = 5;
    public long Seed { get; init; } = 7;
    public DeviceChoice Device { get; init; } = DeviceChoice.Auto;

    public void Validate()
    {
        if (Iterations < 1 || EpisodesPerIteration < 1 || Epochs < 1 || MinibatchSize < 1 || Hidden < 1 || ValidateEvery < 1)
            throw new ArgumentException("PPO: iterations, episodes, epochs, minibatch, hidden size and validation spacing must all be at least 1.");
        if (!(LearningRate > 0) || !(Clip > 0) || !(EntropyBonus >= 0)) throw new ArgumentException("PPO: learning rate and clip must be positive, the entropy bonus >= 0.");
    }
}

/// <summary>One market to train on: sub-bars and the parents worked on them.</summary>
public sealed record ExecutionEpisodes(Bar[] Bars, IReadOnlyList<ParentOrder> Parents);

public sealed record PpoReport(int Iterations, long Transitions, double StartValidationBps, double BestValidationBps, int BestIteration, double TwapValidationBps, string Device, TimeSpan Elapsed);

/// <summary>
/// Proximal policy optimisation (Schulman et al., "Proximal Policy Optimization Algorithms", 2017) for working a
/// parent order on the sub-step venue. An episode is one parent; the reward of a step is minus what its fills
/// cost against the arrival price (side x quantity x (fill - arrival) plus fees), and the last step also carries
/// minus the opportunity cost of anything unfilled and the venue's cleanup charge for it, all in bps of the parent's
/// arrival notional, so an episode's return is exactly minus its arrival-price shortfall with cleanup (without the
/// charge a policy that barely trades looks free in a driftless market). Advantages are returns-to-go (undiscounted: a parent is a
/// short, finite task) less a learned value, normalised per iteration; the clipped surrogate, a value loss and an
/// entropy bonus are minimised with AdamW. Every <see cref="PpoSettings.ValidateEvery"/> iterations the greedy
/// policy works the validation parents and the best weights so far are kept (the held-out test is never seen).
/// Seeded: one Random draws the initial weights and samples parents and actions, so no torch global state
/// (torch.manual_seed, shared by every model trained in the process) can make two runs differ.
/// </summary>
public sealed class PpoExecutionTrainer(PpoSettings settings, VenueModel venue, Action<string>? log = null)
{
    public PpoReport Train(IReadOnlyList<ExecutionEpisodes> training, IReadOnlyList<ExecutionEpisodes> validation, out PolicyNetwork policy)
    {
        settings.Validate();
        var started = Stopwatch.StartNew();
        var (device, reason) = DeepForecaster.ResolveDevice(settings.Device);
        log?.Invoke($"rl-execution: device {device.type} ({reason})");
        var random = new Random(unchecked((int)settings.Seed));
        var pool = training.SelectMany(m => m.Parents.Select(p => (m.Bars, Parent: p))).ToArray();
        if (pool.Length == 0) throw new ArgumentException("No training parents.");
        var simulator = new ParentOrderSimulator(venue);

        using var actor = Mlp(ExecutionObservation.Features, settings.Hidden, ExecutionObservation.Actions, random);
        using var critic = Mlp(ExecutionObservation.Features, settings.Hidden, 1, random);
        actor.to(device);
        critic.to(device);
        using var optimizer = new DecoupledAdam(actor.parameters().Concat(critic.parameters()), settings.LearningRate, 0);
        policy = Export(actor);
        var best = Score(validation, policy, simulator);
        var startScore = best;
        var twap = Score(validation, new Twap(), simulator);
        var bestPolicy = policy;
        var bestIteration = 0;
        long transitions = 0;
        log?.Invoke($"rl-execution: validation before training {best:F2} bp (TWAP {twap:F2} bp)");

        for (var iteration = 1; iteration <= settings.Iterations; iteration++)
        {
            var explorer = new RlExecution(policy, random);
            var observations = new List<float[]>();
            var actions = new List<long>();
            var logps = new List<float>();
            var returns = new List<float>();
            for (var e = 0; e < settings.EpisodesPerIteration; e++)
            {
                var (bars, parent) = pool[random.Next(pool.Length)];
                var result = simulator.Work(parent, bars, explorer);
                var rewards = StepRewards(result, explorer.StepTimes, explorer.Steps.Count, venue.CleanupCostBps);
                var toGo = 0.0;
                var start = returns.Count;
                for (var k = explorer.Steps.Count - 1; k >= 0; k--)
                {
                    toGo += rewards[k];
                    returns.Add((float)toGo);
                }
                returns.Reverse(start, returns.Count - start);
                foreach (var step in explorer.Steps)
                {
                    observations.Add(step.Observation);
                    actions.Add(step.Action);
                    logps.Add((float)step.LogProbability);
                }
            }
            transitions += actions.Count;
            Update(actor, critic, optimizer, device, observations, actions, logps, returns, random);
            policy = Export(actor);
            if (iteration % settings.ValidateEvery == 0 || iteration == settings.Iterations)
            {
                var score = Score(validation, policy, simulator);
                log?.Invoke($"rl-execution: iteration {iteration}: validation {score:F2} bp (TWAP {twap:F2} bp, best {Math.Min(best, score):F2} bp)");
                if (score < best)
                {
                    best = score;
                    bestPolicy = policy;
                    bestIteration = iteration;
                }
            }
        }
        policy = bestPolicy;
        return new PpoReport(settings.Iterations, transitions, startScore, best, bestIteration, twap, device.type.ToString(), started.Elapsed);
    }

    /// <summary>
    /// Reward per decision taken: minus that step's fill cost against arrival, the last decision also minus the
    /// unfilled part's miss and the venue's cleanup charge for it (<see cref="VenueModel.CleanupCostBps"/>); in bps / 10. <paramref name="stepTimes"/> are the parent's sub-bar open times.
    /// </summary>
    internal static double[] StepRewards(ParentOrderResult result, IReadOnlyList<DateTimeOffset> stepTimes, int decisions, double cleanupBps)
    {
        var rewards = new double[Math.Max(1, decisions)];
        var s = result.Shortfall;
        var sign = s.Side.Sign();
        var notional = s.Quantity * s.ArrivalPrice;
        var k = 0;
        foreach (var f in result.Fills)
        {
            while (k < stepTimes.Count - 1 && stepTimes[k] < f.BarTime) k++;
            rewards[Math.Min(k, rewards.Length - 1)] -= (sign * f.Quantity * (f.Price - s.ArrivalPrice) + f.Fee) / notional * 1_000;
        }
        rewards[^1] -= sign * s.UnfilledQuantity * (s.EndPrice - s.ArrivalPrice) / notional * 1_000 + (1 - s.FilledShare) * cleanupBps / 10;
        return rewards;
    }

    private void Update(nn.Module<Tensor, Tensor> actor, nn.Module<Tensor, Tensor> critic, DecoupledAdam optimizer, Device device,
        List<float[]> observations, List<long> actions, List<float> logps, List<float> returns, Random random)
    {
        var n = actions.Count;
        var flat = new float[n * ExecutionObservation.Features];
        for (var i = 0; i < n; i++) observations[i].CopyTo(flat, i * ExecutionObservation.Features);
        using var scope = NewDisposeScope();
        var x = tensor(flat, [n, ExecutionObservation.Features]).to(device);
        var a = tensor(actions.ToArray()).to(device);
        var oldLogp = tensor(logps.ToArray()).to(device);
        var g = tensor(returns.ToArray()).to(device);
        Tensor advantage;
        using (no_grad())
        {
            var raw = g - critic.call(x).squeeze(-1);
            advantage = (raw - raw.mean()) / (raw.std() + 1e-8);
        }
        using Scalar lo = 1 - settings.Clip, hi = 1 + settings.Clip, half = 0.5, entropyWeight = settings.EntropyBonus;
        var order = Enumerable.Range(0, n).ToArray();
        for (var epoch = 0; epoch < settings.Epochs; epoch++)
        {
            random.Shuffle(order);
            for (var b = 0; b < n; b += settings.MinibatchSize)
            {
                using var batchScope = NewDisposeScope();
                var idx = tensor(order.Skip(b).Take(settings.MinibatchSize).Select(i => (long)i).ToArray()).to(device);
                var xb = x.index_select(0, idx);
                var logits = actor.call(xb);
                var logProbs = nn.functional.log_softmax(logits, -1);
                var logp = logProbs.gather(1, a.index_select(0, idx).unsqueeze(1)).squeeze(1);
                var ratio = (logp - oldLogp.index_select(0, idx)).exp();
                var adv = advantage.index_select(0, idx);
                var surrogate = torch.min(ratio * adv, ratio.clamp(lo, hi) * adv);
                var entropy = -(logProbs.exp() * logProbs).sum(1).mean();
                var value = critic.call(xb).squeeze(-1);
                var valueLoss = (value - g.index_select(0, idx)).pow(2).mean();
                var loss = -surrogate.mean() + valueLoss * half - entropy * entropyWeight;
                actor.zero_grad();
                critic.zero_grad();
                loss.backward();
                optimizer.Step();
            }
        }
    }

    /// <summary>Mean arrival-price shortfall with the cleanup charge (bps) of an algorithm over the validation parents.</summary>
    private static double Score(IReadOnlyList<ExecutionEpisodes> markets, IExecutionAlgorithm algorithm, ParentOrderSimulator simulator)
    {
        double sum = 0;
        var n = 0;
        foreach (var m in markets)
            foreach (var p in m.Parents)
            {
                sum += simulator.Venue.ArrivalWithCleanupBps(simulator.Work(p, m.Bars, algorithm).Shortfall);
                n++;
            }
        return n > 0 ? sum / n : double.NaN;
    }

    private static double Score(IReadOnlyList<ExecutionEpisodes> markets, PolicyNetwork policy, ParentOrderSimulator simulator) =>
        Score(markets, new RlExecution(policy), simulator);

    private static nn.Module<Tensor, Tensor> Mlp(int inputs, int hidden, int outputs, Random random)
    {
        var mlp = nn.Sequential(nn.Linear(inputs, hidden), nn.Tanh(), nn.Linear(hidden, hidden), nn.Tanh(), nn.Linear(hidden, outputs));
        using (no_grad())
            foreach (var linear in mlp.modules().OfType<TorchSharp.Modules.Linear>())
            {
                // torch.nn.Linear's own default range, U(-1/sqrt(fan_in), 1/sqrt(fan_in)), drawn from the trainer's Random.
                var bound = 1 / Math.Sqrt(linear.in_features);
                using var weight = Uniform(random, linear.weight!.shape, bound);
                using var bias = Uniform(random, linear.bias!.shape, bound);
                linear.weight.copy_(weight);
                linear.bias.copy_(bias);
            }
        return mlp;
    }

    private static Tensor Uniform(Random random, long[] shape, double bound)
    {
        var values = new float[shape.Aggregate(1L, (a, b) => a * b)];
        for (var i = 0; i < values.Length; i++) values[i] = (float)((random.NextDouble() * 2 - 1) * bound);
        return tensor(values, shape);
    }

    /// <summary>Copies the actor's weights into the managed network the rollouts and evaluation act with.</summary>
    private static PolicyNetwork Export(nn.Module<Tensor, Tensor> actor)
    {
        var linears = actor.modules().OfType<TorchSharp.Modules.Linear>().ToArray();
        var sizes = new int[linears.Length + 1];
        var weights = new float[linears.Length][];
        var biases = new float[linears.Length][];
        for (var l = 0; l < linears.Length; l++)
        {
            sizes[l] = (int)linears[l].in_features;
            sizes[l + 1] = (int)linears[l].out_features;
            using var w = linears[l].weight!.detach().cpu();
            using var bias = linears[l].bias!.detach().cpu();
            weights[l] = w.data<float>().ToArray();
            biases[l] = bias.data<float>().ToArray();
        }
        return new PolicyNetwork(sizes, weights, biases);
    }
}
