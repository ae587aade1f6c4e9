using AgentFirm.Agents.Grains;
using AgentFirm.Agents.Hosting;
using AgentFirm.Agents.Persistence;
using AgentFirm.Llm;
using AgentFirm.Models.Sentiment;
using AgentFirm.Quant.Analysis;
using AgentFirm.Quant.Risk;
using AgentFirm.Quant.Sizing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Storage;

namespace AgentFirm.Agents;

/// <summary>Everything a silo needs to host the firm.</summary>
public sealed class FirmSiloSettings
{
    /// <summary>The SQLite file holding grain state and the ledger; created with its folder on first start.</summary>
    public required string DatabasePath { get; init; }

    /// <summary>The risk grain's limits, fixed for the life of the silo.</summary>
    public RiskLimits RiskLimits { get; init; } = new();

    public FirmOptions Firm { get; init; } = new();

    /// <summary>The strategic agent's regime model and risk budget table (AgentFirm:Strategic); the HMM by default.</summary>
    public StrategicSettings Strategic { get; init; } = new();

    /// <summary>The meta-controller's mind; null means the offline mind (or <see cref="Minds"/>' meta-controller when given).</summary>
    public IMind? Mind { get; init; }

    /// <summary>Every role's mind (AgentFirm:Minds), the run's cassettes and cost; null: the analysts keep their quantitative views.</summary>
    public FirmMinds? Minds { get; init; }

    /// <summary>The sentiment agent's model and pipeline (AgentFirm:Sentiment); the lexicon set-up by default.</summary>
    public SentimentAgentSettings Sentiment { get; init; } = new();

    /// <summary>The FinBERT runner's loader for onnx:DIR models, when the host ships it.</summary>
    public OnnxScorerLoader? OnnxLoader { get; init; }

    /// <summary>The tactical agent's sizing (AgentFirm:Tactical).</summary>
    public TacticalOptions Tactical { get; init; } = new();

    /// <summary>One-way cost in basis points the no-trade band assumes unless Tactical.CostBps sets it (the venue's taker fee + half spread + slippage).</summary>
    public double OneWayCostBps { get; init; } = 11;

    /// <summary>How the execution agent works orders and the risk agent's VPIN toxicity rule (AgentFirm:Execution).</summary>
    public ExecutionSettings Execution { get; init; } = new();

    /// <summary>The technical analysts' forecasting tool (trained walk-forward on the bars they see); null leaves them on indicators alone.</summary>
    public IForecastToolFactory? Forecaster { get; init; }
}

public static class AgentFirmSiloExtensions
{
    /// <summary>
    /// Registers the firm's storage (SQLite grain state and ledger log), its options, the risk limits and
    /// the mind. Call on every silo of a cluster; they must share the database.
    /// </summary>
    public static ISiloBuilder AddAgentFirm(this ISiloBuilder silo, FirmSiloSettings settings)
    {
        settings.RiskLimits.Validate();
        settings.Sentiment.Validate();
        settings.Tactical.Validate();
        settings.Firm.Evidence.Validate();
        settings.Strategic.Validate();
        settings.Execution.Validate();
        var services = silo.Services;
        services.TryAddSingleton(_ => new SqliteDatabase(settings.DatabasePath));
        services.TryAddSingleton<SqliteLedgerStore>();
        services.TryAddSingleton<ILedgerStore>(sp => sp.GetRequiredService<SqliteLedgerStore>());
        services.AddKeyedSingleton<IGrainStorage>(AgentFirmStorage.Name, (sp, _) => new SqliteGrainStorage(sp.GetRequiredService<SqliteDatabase>()));
        // The loss budget keeps back the venue's exit costs unless the limits name their own.
        services.TryAddSingleton(settings.RiskLimits.ExitCostBps > 0 ? settings.RiskLimits : settings.RiskLimits with { ExitCostBps = settings.OneWayCostBps });
        services.TryAddSingleton(new TacticalSettings(settings.Tactical, settings.OneWayCostBps));
        services.TryAddSingleton(settings.Strategic);
        services.TryAddSingleton(settings.Execution);
        var minds = settings.Minds ?? FirmMinds.Offline();
        services.TryAddSingleton(minds);
        services.TryAddSingleton(settings.Mind ?? minds.MetaController);
        services.TryAddSingleton(new SentimentScorerSource(settings.Sentiment, settings.OnnxLoader));
        if (settings.Forecaster is not null) services.TryAddSingleton(settings.Forecaster);
        services.Configure<FirmOptions>(o =>
        {
            // Analysts that ask a model need the time their calls may take (all tries and a repair).
            o.AnalystDeadline = settings.Firm.AnalystDeadline + minds.AnalystLatencyBound;
            o.RecentDecisions = settings.Firm.RecentDecisions;
            o.Analysts = settings.Firm.Analysts;
            o.Evidence = settings.Firm.Evidence;
        });
        return silo;
    }
}
