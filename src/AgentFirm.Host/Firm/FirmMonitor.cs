using System.Globalization;
using System.Text.Json;
using AgentFirm.Agents.Contracts;
using AgentFirm.Dashboard.Model;
using AgentFirm.Quant.Backtest;
using AgentFirm.Quant.Execution;
using AgentFirm.Quant.Metrics;
using AgentFirm.Quant.Risk;
using DashboardRisk = AgentFirm.Dashboard.Model.RiskStatus;

namespace AgentFirm.Host.Firm;

/// <summary>
/// The dashboard's read model of the running firm: fed after every decision step by the session that
/// drives the grains, read by the Blazor circuits. Snapshots are immutable; each step swaps in a new one.
/// Finished backtests are found as report.json files under the reports folder.
/// </summary>
public sealed class FirmMonitor(RiskLimits limits, string reportsFolder) : IFirmMonitor, IRiskControls
{
    private const int MaxDecisions = 100;
    /// <summary>Steps the decisions page can search (about an hour and a half at 50 steps/s); older ones are in the ledger.</summary>
    public const int MaxHistory = 250_000 / 50;
    private const int MaxVetoes = 1_000;
    private const int MaxAudit = 500;
    private readonly Lock _gate = new();
    private readonly List<EquityPoint> _equity = new();
    private readonly LinkedList<DecisionStepRow> _decisions = new();
    private readonly LinkedList<VetoRow> _vetoes = new();
    private readonly LinkedList<DecisionStepRow> _history = new();
    private readonly LinkedList<AuditEntry> _audit = new();
    private readonly AgentTracker _agents = new();
    private readonly PnlAttribution _attribution = new();
    private bool _wasHalted;
    private int _fillsSeen;
    private TimeSpan _latencySum;
    private long _recorded;
    private double _peak;
    private double _worstDrawdown;
    private double _worstDayLoss;
    private DateOnly _day;
    private double _dayStart;
    private IReadOnlyList<BacktestRunSummary> _backtests = [];
    private DateTimeOffset _backtestsScanned = DateTimeOffset.MinValue;

    public string Mode { get; set; } = FirmModes.LiveSimulator;

    /// <summary>The grains of the run being watched; set by the session that drives it.</summary>
    public (IGrainFactory Grains, string RunId)? Run { get; set; }
    public FirmSnapshot Current { get; private set; } = FirmSnapshot.Empty;
    /// <summary>The LLM mind's counts as one line (its alarm when it fell back on most steps); null for the offline mind.</summary>
    public Func<string?>? MindStatus { get; init; }
    /// <summary>What decides (offline rules, or the LLM model and its prompt version); set by the host.</summary>
    public string MindDescription { get; init; } = "offline rules (no LLM)";
    public long Steps { get; private set; }
    /// <summary>The first step at whose bar the venue had filled an order (null until then): how long the firm learned before it traded.</summary>
    public long? FirstFillStep { get; private set; }
    public event Action? Changed;

    public IReadOnlyList<BacktestRunSummary> Backtests
    {
        get
        {
            // Several dashboard circuits read this; the folder is scanned at most every ten seconds.
            lock (_gate)
            {
                if (DateTimeOffset.UtcNow - _backtestsScanned > TimeSpan.FromSeconds(10))
                {
                    _backtests = ScanBacktests(reportsFolder);
                    _backtestsScanned = DateTimeOffset.UtcNow;
                }
                return _backtests;
            }
        }
    }

    /// <summary>The next read of <see cref="Backtests"/> scans the folder again (a run was written or deleted from the dashboard).</summary>
    public void RescanBacktests()
    {
        lock (_gate) _backtestsScanned = DateTimeOffset.MinValue;
    }

    public int DecisionsHeld { get { lock (_gate) return _history.Count; } }

    public IReadOnlyList<DecisionStepRow> HeldDecisions { get { lock (_gate) return _history.ToArray(); } }

    public async Task<TextPipelineSummary?> SentimentPipelineAsync()
    {
        if (Run is not { } run) return null;
        var counts = await run.Grains.GetGrain<IAnalystDeskGrain>(run.RunId).SentimentPipelineAsync();
        return counts is null ? null : new TextPipelineSummary(counts.Input, counts.Kept, counts.Neutralised, counts.Dropped);
    }

    public DecisionPage FindDecisions(DecisionQuery query)
    {
        DecisionStepRow[] held;
        lock (_gate) held = _history.ToArray();
        return query.Apply(held);
    }

    public async Task EngageKillSwitchAsync(string operatorName, string reason)
    {
        if (Run is not { } run) throw new InvalidOperationException("No firm is running yet: nothing to stop.");
        await run.Grains.GetGrain<IRiskGrain>(run.RunId).EngageKillSwitchAsync($"{reason} by {operatorName}");
        Audit(operatorName, "kill switch", reason);
    }

    public async Task ResetAsync(string operatorName)
    {
        if (Run is not { } run) throw new InvalidOperationException("No firm is running yet: nothing to reset.");
        await run.Grains.GetGrain<IRiskGrain>(run.RunId).ResetAsync(operatorName);
        Audit(operatorName, "reset", "lifted the halt and the kill switch; the firm may trade from the next step");
    }

    /// <summary>An operator's action goes on screen at once, not at the next step.</summary>
    private void Audit(string who, string action, string detail)
    {
        lock (_gate)
        {
            AddAudit(new AuditEntry(DateTimeOffset.UtcNow, Steps, who, action, detail));
            Current = Current with { Audit = _audit.ToArray() };
        }
        Changed?.Invoke();
    }

    private void AddAudit(AuditEntry entry)
    {
        _audit.AddFirst(entry);
        while (_audit.Count > MaxAudit) _audit.RemoveLast();
    }

    /// <summary>Records one decision step and the account as the venue marks it after the step.</summary>
    /// <param name="latency">Wall-clock time the step took through the grains.</param>
    public void Record(DecisionRecord record, IStrategyContext context, TimeSpan latency = default)
    {
        lock (_gate)
        {
            var equity = context.Portfolio.Equity;
            _peak = Math.Max(_peak, equity);
            var day = DateOnly.FromDateTime(record.Time.UtcDateTime);
            if (day != _day) (_day, _dayStart) = (day, equity);
            _worstDrawdown = Math.Max(_worstDrawdown, _peak > 0 ? 1 - equity / _peak : 0);
            _worstDayLoss = Math.Max(_worstDayLoss, _dayStart > 0 ? 1 - equity / _dayStart : 0);
            var gross = 0.0;
            var net = 0.0;
            var largest = 0.0;
            foreach (var symbol in context.Instruments.Select(i => i.Symbol))
            {
                var value = context.Portfolio.PositionQuantity(symbol) * context.Portfolio.MarkPrice(symbol);
                gross += Math.Abs(value);
                net += value;
                largest = Math.Max(largest, Math.Abs(value));
            }
            var perEquity = equity > 0 ? 1 / equity : 0;
            _equity.Add(new EquityPoint(record.Time, equity, _peak > 0 ? 1 - equity / _peak : 0) { Gross = gross * perEquity, Net = net * perEquity });

            var fills = context.Fills.Skip(_fillsSeen).ToArray();
            _fillsSeen = context.Fills.Count;
            var row = ToRow(record) with { Fills = fills };
            _decisions.AddFirst(row);
            while (_decisions.Count > MaxDecisions) _decisions.RemoveLast();
            _history.AddFirst(row);
            while (_history.Count > MaxHistory) _history.RemoveLast();
            _agents.Observe(row, symbol => context.Portfolio.MarkPrice(symbol) is var m && m > 0 ? m : null);
            var symbols = context.Instruments.Select(i => i.Symbol).ToArray();
            _attribution.Observe(row, symbols.ToDictionary(s => s, context.Portfolio.PositionQuantity),
                symbols.Where(s => context.Portfolio.MarkPrice(s) > 0).ToDictionary(s => s, context.Portfolio.MarkPrice));
            _latencySum += latency;
            _recorded++;
            // The risk agent's side of the story, once per change: a kill switch shows as a halt with its reason.
            if (record.Halted != _wasHalted)
                AddAudit(new AuditEntry(DateTimeOffset.UtcNow, record.Step, "risk agent", record.Halted ? "halt" : "resumed",
                    record.Halted ? $"{record.HaltReason ?? "halted"}; only orders that flatten the book pass" : "trading again after a reset"));
            _wasHalted = record.Halted;
            foreach (var veto in record.Verdicts.Where(v => v.Decision == VerdictKind.Veto))
                _vetoes.AddFirst(new VetoRow(record.Time, record.Step, veto.Proposal.Symbol, veto.Proposal.Quantity, veto.Reason));
            while (_vetoes.Count > MaxVetoes) _vetoes.RemoveLast();

            var positions = context.Instruments
                .Select(i => i.Symbol)
                .Where(s => context.Portfolio.PositionQuantity(s) != 0)
                .Select(s =>
                {
                    var q = context.Portfolio.PositionQuantity(s);
                    var mark = context.Portfolio.MarkPrice(s);
                    var average = context.Portfolio.AveragePrice(s);
                    return new PositionRow(s, q, average, mark, q * mark, q * (mark - average));
                })
                .ToArray();
            var risk = new DashboardRisk(record.Halted, record.HaltReason, record.KillSwitch,
                _dayStart > 0 ? Math.Max(0, 1 - equity / _dayStart) : 0, _peak > 0 ? 1 - equity / _peak : 0, limits.DailyLossLimit, limits.MaxDrawdown)
            {
                WorstDrawdown = _worstDrawdown,
                WorstDayLoss = _worstDayLoss,
                Stops = record.Stops.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Symbol}: {s.Side.ToString().ToLowerInvariant()} {s.Quantity:#,##0.######} at {s.StopPrice:#,##0.####}")).ToArray(),
                GrossLimit = limits.MaxGrossExposure,
                NetLimit = limits.MaxNetExposure,
                ConcentrationLimit = limits.MaxConcentration,
                TradeRiskLimit = limits.MaxRiskPerTrade,
                LossBudgetUse = limits.LossBudgetUse,
                Gross = gross * perEquity,
                Net = net * perEquity,
                Concentration = largest * perEquity,
            };
            Current = new FirmSnapshot(record.Time, Mode, _equity.ToArray(), positions, _decisions.ToArray(), _vetoes.ToArray(), risk, context.Portfolio.Cash, equity)
            {
                Mind = MindStatus?.Invoke(),
                Audit = _audit.ToArray(),
                Agents = _agents.Records(),
                PnlByAgent = _attribution.Totals,
                MindDescription = MindDescription,
                LastStepLatency = latency,
                MeanStepLatency = _latencySum / _recorded,
            };
            Steps = record.Step;
            if (FirstFillStep is null && context.Fills.Count > 0) FirstFillStep = record.Step;
        }
        Changed?.Invoke();
    }

    private static DecisionStepRow ToRow(DecisionRecord r) => new(
        r.Step,
        r.Time,
        r.Views,
        r.Weights,
        r.Targets.Select(t => new MetaDecisionRow(t.Symbol, t.Direction, t.Confidence, t.Source.StartsWith("mind", StringComparison.Ordinal) ? DecisionSource.Mind : DecisionSource.Quant, t.Rationale,
            r.Sizing.FirstOrDefault(n => n.Symbol == t.Symbol)?.Reason ?? "")).ToArray(),
        r.Verdicts.Select(v => new RiskVerdictRow(v.Proposal.Symbol, v.Decision switch
        {
            VerdictKind.Approve => RiskAction.Approve,
            VerdictKind.Shrink => RiskAction.Shrink,
            _ => RiskAction.Veto,
        }, v.Proposal.Quantity, v.ApprovedQuantity, v.Reason)).ToArray(),
        r.Regime.Regime)
    {
        Dropped = r.DroppedAgents,
        AnalystMillis = r.AnalystMillis,
        Odds = r.Regime.Probabilities is { } p ? new RegimeOdds(p.Calm, p.Normal, p.Turbulent, p.Crisis) : null,
    };

    public BacktestRunDetail? OpenBacktest(string id) => OpenBacktest(reportsFolder, Backtests, id);

    /// <summary>The run's folder is the one its id names (ids are folder names); the curve comes from its equity.csv.</summary>
    public static BacktestRunDetail? OpenBacktest(string folder, IReadOnlyList<BacktestRunSummary> runs, string id)
    {
        if (runs.FirstOrDefault(r => r.Id == id) is not { } run || !Directory.Exists(folder)) return null;
        var report = Directory.EnumerateFiles(folder, "report.json", SearchOption.AllDirectories)
            .FirstOrDefault(f => Path.GetFileName(Path.GetDirectoryName(f)) == id);
        if (report is null) return null;
        var runFolder = Path.GetDirectoryName(report)!;
        using var document = JsonDocument.Parse(File.ReadAllText(report));
        var configuration = document.RootElement.TryGetProperty("config", out var config)
            ? JsonSerializer.Serialize(config, new JsonSerializerOptions { WriteIndented = true })
            : "(the report has no config section)";
        var trades = Path.Combine(runFolder, "trades.csv");
        return new BacktestRunDetail(run, ReadEquity(Path.Combine(runFolder, "equity.csv")),
            File.Exists(trades) ? Math.Max(0, File.ReadLines(trades).Count() - 1) : 0, configuration)
        {
            Execution = ReadExecution(document.RootElement),
        };
    }

    /// <summary>report.json's "execution": shortfall per algorithm as <see cref="ParentOrderJournal.Json"/> writes it; empty when absent.</summary>
    private static AlgorithmShortfall[] ReadExecution(JsonElement report)
    {
        if (!report.TryGetProperty("execution", out var execution) || !execution.TryGetProperty("by_algorithm", out var rows)) return [];
        return rows.EnumerateArray().Select(r => new AlgorithmShortfall(
            r.GetProperty("algorithm").GetString() ?? "?", r.GetProperty("parents").GetInt32(), r.GetProperty("decision_notional").GetDouble(),
            r.GetProperty("filled_share").GetDouble(), r.GetProperty("mean_shortfall_bps").GetDouble(), r.GetProperty("notional_weighted_shortfall_bps").GetDouble(),
            r.GetProperty("mean_arrival_shortfall_bps").GetDouble(), r.GetProperty("total_cost").GetDouble())).ToArray();
    }

    /// <summary>equity.csv as the backtest writes it (timestamp, equity, ..., gross_exposure, net_exposure in money, drawdown), by header name.</summary>
    private static EquityPoint[] ReadEquity(string path)
    {
        if (!File.Exists(path)) return [];
        using var lines = File.ReadLines(path).GetEnumerator();
        if (!lines.MoveNext()) return [];
        var header = lines.Current.Split(',');
        int Column(string name) => Array.IndexOf(header, name);
        var (time, equity, drawdown, gross, net) = (Column("timestamp"), Column("equity"), Column("drawdown"), Column("gross_exposure"), Column("net_exposure"));
        if (time < 0 || equity < 0) return [];
        var points = new List<EquityPoint>();
        while (lines.MoveNext())
        {
            var cells = lines.Current.Split(',');
            double Value(int column) => column >= 0 && column < cells.Length && double.TryParse(cells[column], NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : 0;
            if (cells.Length <= Math.Max(time, equity) || !DateTimeOffset.TryParse(cells[time], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)) continue;
            // The report writes exposure in quote money; the dashboard's points hold it as a fraction of equity.
            var e = Value(equity);
            points.Add(new EquityPoint(at, e, Value(drawdown)) { Gross = e > 0 ? Value(gross) / e : 0, Net = e > 0 ? Value(net) / e : 0 });
        }
        return points.ToArray();
    }

    /// <summary>Every report.json under the folder (backtest runs), newest first; unreadable ones are skipped.</summary>
    public static IReadOnlyList<BacktestRunSummary> ScanBacktests(string folder)
    {
        if (!Directory.Exists(folder)) return [];
        var runs = new List<(DateTime Written, BacktestRunSummary Run)>();
        foreach (var file in Directory.EnumerateFiles(folder, "report.json", SearchOption.AllDirectories))
        {
            try
            {
                using var document = JsonDocument.Parse(File.ReadAllText(file));
                var root = document.RootElement;
                var metrics = root.Deserialize<PerformanceMetrics>()!;
                var symbols = root.TryGetProperty("symbols", out var s) ? s.EnumerateArray().Select(x => x.GetString() ?? "").ToArray() : [];
                runs.Add((File.GetLastWriteTimeUtc(file), new BacktestRunSummary(
                    Path.GetFileName(Path.GetDirectoryName(file)!),
                    root.GetProperty("strategy").GetString() ?? "?",
                    symbols,
                    root.TryGetProperty("timeframe", out var tf) ? tf.GetString() ?? "" : "",
                    metrics.Start ?? DateTimeOffset.MinValue,
                    metrics.End ?? DateTimeOffset.MinValue,
                    metrics)));
            }
            catch (Exception ex) when (ex is JsonException or IOException or KeyNotFoundException or InvalidOperationException)
            {
                // Not a backtest report (or half-copied): leave it out of the list.
            }
        }
        return runs.OrderByDescending(r => r.Written).Select(r => r.Run).ToArray();
    }
}
