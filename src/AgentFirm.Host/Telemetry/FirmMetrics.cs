using System.Diagnostics;
using System.Diagnostics.Metrics;
using AgentFirm.Agents.Contracts;
using AgentFirm.Core;

namespace AgentFirm.Host.Telemetry;

/// <summary>
/// The firm's own meters on a silo (meter "AgentFirm", exported on the silo's /metrics): how long each agent takes to
/// answer (every call into a firm grain, by agent and method; the meta-controller's DecideAsync is a whole decision step),
/// the risk agent's vetoes, and the fills booked into ledgers. A grain call filter, so no agent carries timing code.
/// </summary>
public sealed class FirmMetrics : IIncomingGrainCallFilter, IDisposable
{
    public const string MeterName = "AgentFirm";
    private const string ContractsPrefix = "AgentFirm.Agents.Contracts.";

    private readonly Meter _meter = new(MeterName);
    private readonly Histogram<double> _latency;
    private readonly Counter<long> _vetoes;
    private readonly Counter<long> _fills;

    public FirmMetrics()
    {
        _latency = _meter.CreateHistogram<double>("agentfirm.agent.call.duration", "ms", "Time a firm agent (grain) takes to answer one call, by agent and method");
        _vetoes = _meter.CreateCounter<long>("agentfirm.risk.vetoes", "{order}", "Orders the risk agent vetoed");
        _fills = _meter.CreateCounter<long>("agentfirm.ledger.fills", "{fill}", "Fills booked into firm ledgers (a replayed batch the ledger already holds counts again)");
    }

    public async Task Invoke(IIncomingGrainCallContext context)
    {
        var agent = Agent(context.InterfaceName);
        if (agent is null)
        {
            await context.Invoke();
            return;
        }
        var started = Stopwatch.GetTimestamp();
        var outcome = "ok";
        try
        {
            await context.Invoke();
        }
        catch
        {
            outcome = "error";
            throw;
        }
        finally
        {
            _latency.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds,
                new("agent", agent), new("method", context.MethodName), new("outcome", outcome));
        }
        Count(context);
    }

    private void Count(IIncomingGrainCallContext context)
    {
        if (context.Result is RiskReview review)
        {
            var vetoes = review.Verdicts.Count(v => v.Decision == VerdictKind.Veto);
            _vetoes.Add(vetoes); // zero too, so the series exists from the first review
        }
        else if (context.MethodName == nameof(IPortfolioGrain.AppendAsync) && context.Request.GetArgument(0) is LedgerBatch batch)
            _fills.Add(batch.Entries.Count(e => e.Kind == LedgerEntryKind.Fill));
    }

    /// <summary>The agent behind a firm grain interface ("AgentFirm.Agents.Contracts.IRiskGrain" is "Risk"); null for anything else.</summary>
    public static string? Agent(string? interfaceName)
    {
        if (interfaceName is null || !interfaceName.StartsWith(ContractsPrefix, StringComparison.Ordinal)) return null;
        var name = interfaceName[ContractsPrefix.Length..];
        if (name == nameof(ISweepRunGrain)) return null; // work, not an agent: its long polls would read as latency
        if (name.StartsWith('I')) name = name[1..];
        return name.EndsWith("Grain", StringComparison.Ordinal) ? name[..^"Grain".Length] : name;
    }

    public void Dispose() => _meter.Dispose();
}
