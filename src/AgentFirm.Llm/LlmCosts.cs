using System.Globalization;
using System.Text.Json.Nodes;

namespace AgentFirm.Llm;

/// <summary>
/// Tokens and dollars of a run's model calls, per call, role and decision step, from the price table
/// (AgentFirm:Llm:Prices), and the run's budget (BudgetPerRun). The budget fails closed: once the calls of
/// earlier decision steps have spent it, every later call is refused and the mind falls back to its offline view.
/// Judged on earlier steps only, so the analysts' parallel calls within a step cannot make a replay refuse a
/// different call than the recording did; a run can therefore overshoot by at most one step's calls.
/// Thread-safe; one instance per run.
/// </summary>
public sealed class LlmCosts(IReadOnlyList<ModelPrice> prices, double? budget)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, RoleCost> _byRole = new(StringComparer.Ordinal);
    private readonly SortedDictionary<DateTimeOffset, double> _byStep = new();
    private DateTimeOffset _currentStep = DateTimeOffset.MinValue;
    private double _spentBeforeCurrentStep;
    private double _spent;
    private long _unpriced;
    private long _refused;

    public static LlmCosts None { get; } = new([], null);

    public double? Budget { get; } = budget;

    public double Spent { get { lock (_gate) return _spent; } }

    /// <summary>Calls of models missing from the price table (counted at $0).</summary>
    public long Unpriced { get { lock (_gate) return _unpriced; } }

    /// <summary>Calls refused because the budget was spent.</summary>
    public long Refused { get { lock (_gate) return _refused; } }

    /// <summary>Whether a call at <paramref name="decisionTime"/> may go ahead; counts a refusal when not.</summary>
    public bool Allows(DateTimeOffset decisionTime)
    {
        if (Budget is not { } limit) return true;
        lock (_gate)
        {
            var spentBefore = decisionTime > _currentStep ? _spent : _spentBeforeCurrentStep;
            if (spentBefore < limit) return true;
            _refused++;
            return false;
        }
    }

    /// <summary>Dollars of one call of <paramref name="model"/>; 0 when the table has no price for it.</summary>
    public double PriceOf(string model, int inputTokens, int outputTokens) =>
        prices.FirstOrDefault(p => p.Model == model) is { } p
            ? (inputTokens * p.InputPerMillion + outputTokens * p.OutputPerMillion) / 1_000_000
            : 0;

    /// <summary>Adds one answered call and returns its dollars.</summary>
    public double Record(string role, DateTimeOffset decisionTime, string model, int inputTokens, int outputTokens)
    {
        var dollars = PriceOf(model, inputTokens, outputTokens);
        lock (_gate)
        {
            if (decisionTime > _currentStep)
            {
                _spentBeforeCurrentStep = _spent;
                _currentStep = decisionTime;
            }
            _spent += dollars;
            if (!prices.Any(p => p.Model == model)) _unpriced++;
            if (!_byRole.TryGetValue(role, out var cost)) _byRole[role] = cost = new RoleCost();
            cost.Calls++;
            cost.InputTokens += inputTokens;
            cost.OutputTokens += outputTokens;
            cost.Dollars += dollars;
            _byStep[decisionTime] = _byStep.GetValueOrDefault(decisionTime) + dollars;
        }
        return dollars;
    }

    /// <summary>Per role: calls, input and output tokens, dollars.</summary>
    public IReadOnlyDictionary<string, (long Calls, long InputTokens, long OutputTokens, double Dollars)> ByRole()
    {
        lock (_gate)
            return _byRole.ToDictionary(r => r.Key, r => (r.Value.Calls, r.Value.InputTokens, r.Value.OutputTokens, r.Value.Dollars), StringComparer.Ordinal);
    }

    /// <summary>Dollars per decision step (by decision time).</summary>
    public IReadOnlyDictionary<DateTimeOffset, double> ByStep()
    {
        lock (_gate) return new SortedDictionary<DateTimeOffset, double>(_byStep);
    }

    /// <summary>One line for a run's summary, e.g. "LLM cost: 40 calls, 12000 in + 800 out tokens, $0.0043 (technical $0.0021, meta-controller $0.0022); budget $1.00, 0 calls refused".</summary>
    public string Describe()
    {
        var roles = ByRole();
        var calls = roles.Values.Sum(r => r.Calls);
        var text = string.Create(CultureInfo.InvariantCulture,
            $"LLM cost: {calls} calls, {roles.Values.Sum(r => r.InputTokens)} in + {roles.Values.Sum(r => r.OutputTokens)} out tokens, {Dollars(Spent)}");
        if (roles.Count > 0)
            text += $" ({string.Join(", ", roles.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => $"{r.Key} {Dollars(r.Value.Dollars)}"))})";
        if (Unpriced > 0) text += $"; {Unpriced} calls of models without a price counted at $0";
        if (Budget is { } b) text += $"; budget {Dollars(b)}, {Refused} calls refused{(Refused > 0 ? ": minds fell back to their offline views once it was spent" : "")}";
        return text;
    }

    /// <summary>report.json's "llm_cost" section.</summary>
    public JsonObject ToJson()
    {
        var roles = ByRole();
        return new JsonObject
        {
            ["calls"] = roles.Values.Sum(r => r.Calls),
            ["input_tokens"] = roles.Values.Sum(r => r.InputTokens),
            ["output_tokens"] = roles.Values.Sum(r => r.OutputTokens),
            ["dollars"] = Spent,
            ["budget"] = Budget,
            ["refused"] = Refused,
            ["unpriced_calls"] = Unpriced,
            ["by_role"] = new JsonObject(roles.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => KeyValuePair.Create(r.Key, (JsonNode?)new JsonObject
            {
                ["calls"] = r.Value.Calls,
                ["input_tokens"] = r.Value.InputTokens,
                ["output_tokens"] = r.Value.OutputTokens,
                ["dollars"] = r.Value.Dollars,
            }))),
            ["by_step"] = new JsonObject(ByStep().Select(s => KeyValuePair.Create(s.Key.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture), (JsonNode?)s.Value))),
        };
    }

    private static string Dollars(double value) => "$" + value.ToString(value >= 1 ? "0.00" : "0.######", CultureInfo.InvariantCulture);

    private sealed class RoleCost
    {
        public long Calls;
        public long InputTokens;
        public long OutputTokens;
        public double Dollars;
    }
}
