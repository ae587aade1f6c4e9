using System.Globalization;
using System.Text.Json.Nodes;

namespace AgentFirm.Quant.Reporting;

/// <summary>
/// The risk agent stopped trading during the run (drawdown limit or kill switch) and the strategy stayed flat from
/// then on, by design, since only a person may reset it: a result that must be read as "halted at Time", not as a
/// strategy that chose to do nothing.
/// </summary>
/// <param name="Limit">Which limit tripped: max_drawdown or kill_switch.</param>
/// <param name="LimitValue">The limit's setting (the drawdown fraction), when it has one.</param>
/// <param name="Drawdown">Equity's fall from its running peak at the halting step, as a fraction.</param>
/// <param name="Reason">The risk agent's own words.</param>
public sealed record BacktestHalt(DateTimeOffset Time, long Step, string Limit, double? LimitValue, double Drawdown, double Equity, double PeakEquity, string Reason)
{
    public string Describe()
    {
        var i = CultureInfo.InvariantCulture;
        var limit = Limit == "max_drawdown" ? "max drawdown" : Limit.Replace('_', ' ');
        var bound = LimitValue is { } v ? string.Create(i, $", limit {v:P2}") : "";
        return string.Create(i, $"halted {Time.UtcDateTime:yyyy-MM-dd HH:mm}Z (step {Step}) by the {limit} limit: drawdown {Drawdown:P2}{bound}; flat from then on");
    }

    public JsonObject ToJson() => new()
    {
        ["time"] = Time,
        ["step"] = Step,
        ["limit"] = Limit,
        ["limit_value"] = LimitValue,
        ["drawdown"] = Drawdown,
        ["equity"] = Equity,
        ["peak_equity"] = PeakEquity,
        ["reason"] = Reason,
    };
}
