using AgentFirm.Agents;
using AgentFirm.Agents.Contracts;
using AgentFirm.Agents.Firm;
using AgentFirm.Agents.Hosting;
using AgentFirm.Quant.Backtest;
using AgentFirm.Quant.Execution;
using AgentFirm.Quant.Reporting;
using AgentFirm.Llm;
using System.Text.Json.Nodes;

namespace AgentFirm.Host.Firm;

/// <summary>One firm run in the backtest engine: its result, the decision journal (decisions.csv) and its summary.</summary>
public sealed record FirmRun(BacktestResult Result, string DecisionsCsv, int Vetoes, int Decisions, double MeanAbsoluteDirection, CalibrationReport Calibration)
{
    /// <summary>Each step's analyst views (views.csv).</summary>
    public string ViewsCsv { get; init; } = "";

    /// <summary>When and why the risk agent halted the firm; null when it never did.</summary>
    public BacktestHalt? Halt { get; init; }

    /// <summary>What the risk agent did between decisions (flattened after a limit tripped, tightened stops).</summary>
    public IReadOnlyList<GuardEvent> GuardEvents { get; init; } = [];
    /// <summary>The LLM mind's counts (calls, fallbacks by reason, retries); null for the offline mind.</summary>
    public MindStats? Mind { get; init; }

    /// <summary>Every parent order the firm sent after warm-up, with its implementation shortfall (parents.csv, report.json's "execution").</summary>
    public IReadOnlyList<ParentShortfall> Execution { get; init; } = [];

    /// <summary>Every role's mind of the run: per-role counts, tokens and dollars; null when every mind was offline.</summary>
    public FirmMinds? Minds { get; init; }

    /// <summary>report.json's "mind" section: the meta-controller's counts at the top (as before roles had minds), then per role, mode and cost; null when every mind was offline.</summary>
    public JsonObject? MindJson()
    {
        if (Minds is null) return null;
        var json = Mind?.ToJson() ?? new JsonObject();
        foreach (var (key, value) in Minds.ToJson()) json[key] = value?.DeepClone();
        return json;
    }

    /// <summary>The summary lines of the run's minds (counts per role, tokens, dollars) and the loud ones for minds that mostly fell back.</summary>
    public IReadOnlyList<string> MindLines() => Minds?.Describe().ToArray() ?? [];

    public IReadOnlyList<string> MindAlarms() => Minds?.Alarms().ToArray() ?? [];
}

/// <summary>
/// Runs the whole agent firm inside the backtest engine: a fresh in-process silo with its own throwaway
/// database, configured from the host's settings (risk limits, sentiment model, forecaster, mind), a
/// fresh as-of side-data feed, and the decision journal around the firm. `backtest --strategy firm` and
/// every firm variant of `evaluate` go through here, so they run the same firm.
/// </summary>
public sealed class FirmBacktest(AgentFirmSettings settings, FirmSideData.Loaded side, TextWriter log)
{
    /// <summary>Run on this cluster as a client (`--cluster`) instead of an in-process silo; the silos' own settings then decide the firm.</summary>
    public ClusterSettings? Cluster { get; init; }

    /// <summary>The firm's run id in the cluster's ledger (set once a run has started).</summary>
    public string? RunId { get; private set; }

    /// <param name="analysts">The analysts the meta-controller consults (technical, sentiment, onchain, causal); null for all.</param>
    public async Task<FirmRun> RunAsync(BacktestEngine engine, IReadOnlyList<MarketSeries> market, IReadOnlyList<string>? analysts,
        IProgress<double>? progress, CancellationToken ct)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"agentfirm-backtest-{Guid.NewGuid():N}");
        // The mind's warnings go to the run's stderr and its counts into the summary: a dead endpoint or a
        // wrong prompts folder must never pass as a quiet quant run.
        var mindStats = new MindStats();
        using var mindLogs = TextWriterLoggerProvider.Factory(log);
        var minds = settings.CreateFirmMinds(mindLogs, mindStats);
        var mind = minds.MetaController;
        try
        {
            await using var client = Cluster is null ? null : await ClusterConnection.ConnectAsync(Cluster, ct);
            await using var silo = client is not null ? null : await EmbeddedSilo.StartAsync(new FirmSiloSettings
            {
                DatabasePath = Path.Combine(folder, "firm.db"),
                RiskLimits = settings.Risk,
                Strategic = settings.Strategic,
                Execution = market.Any(m => m.SubBars is not null) ? settings.Execution.WithVolumeProfile() : settings.Execution,
                Tactical = settings.Tactical,
                OneWayCostBps = settings.OneWayCostBps,
                Sentiment = settings.Sentiment,
                OnnxLoader = settings.SentimentOnnxLoader(),
                Forecaster = settings.Forecaster.CreateFactory(message => log.WriteLine($"forecaster: {message}")),
                Mind = mind,
                Minds = minds,
                Firm = settings.FirmOptions(analysts),
            }, ct);
            IGrainFactory grains = client is not null ? client.Client : silo!.Grains;
            RunId = $"backtest-{Guid.NewGuid():N}";
            var firm = new FirmStrategy(grains, RunId, side.CreateFeed()) { Replayable = client is not null };
            var journal = new DecisionJournal(firm, settings.Risk.MaxDrawdown);
            BacktestResult result;
            try
            {
                result = await engine.RunAsync(market, journal, progress, ct);
            }
            catch (Exception) when (minds.ReplayMiss is { } miss)
            {
                // However the grains wrapped it: the replay is not a reproduction, and the message names the call.
                throw new CassetteMissException(miss);
            }
            if (firm.Replay is { Replays: > 0 } or { Retries: > 0 })
                await log.WriteLineAsync($"cluster: {firm.Replay.Retries} call(s) retried after a silo failure; the firm was replayed into fresh grains {firm.Replay.Replays} time(s)");
            var calibration = await grains.GetGrain<IMetaControllerGrain>(firm.RunId).CalibrationAsync();
            var lastClose = market.ToDictionary(m => m.Instrument.Symbol, m => m.Bars[^1].Close, StringComparer.OrdinalIgnoreCase);
            return new FirmRun(result, journal.Csv, journal.Vetoes, journal.Decisions, journal.MeanAbsoluteDirection, calibration)
            {
                ViewsCsv = journal.ViewsCsv, Halt = journal.Halt, GuardEvents = firm.GuardEvents, Mind = mind is OfflineMind ? null : mindStats,
                Execution = firm.Parents.Measure(result.Fills, symbol => lastClose[symbol]),
                Minds = minds.AnyModel ? minds : null,
            };
        }
        finally
        {
            minds.Dispose();
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
    }
}
