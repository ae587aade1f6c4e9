using AgentFirm.Agents.Contracts;
using AgentFirm.Quant.Analysis;

namespace AgentFirm.Agents.Grains;

/// <summary>
/// The technical analyst: streaming indicators per symbol, a momentum and mean-reversion view each step. When the
/// host registers an <see cref="IForecastToolFactory"/> (off by default), the analyst also consults a forecaster
/// trained walk-forward on the bars it has seen.
/// </summary>
public sealed class TechnicalAnalystRole(IForecastTool? forecaster)
{
    private readonly TechnicalAnalyst _analyst = new(forecaster: forecaster);

    public static TechnicalAnalystRole From(IServiceProvider services) =>
        new((services.GetService(typeof(IForecastToolFactory)) as IForecastToolFactory)?.Create());

    public AnalystReport Analyse(MarketUpdate update)
    {
        var views = new Core.AgentView[update.Bars.Length];
        for (var i = 0; i < update.Bars.Length; i++)
        {
            var (symbol, bar) = (update.Bars[i].Symbol, update.Bars[i].Bar);
            _analyst.Update(symbol, bar);
            views[i] = _analyst.View(symbol, update.Time);
        }
        return new AnalystReport(TechnicalAnalyst.AgentName, views);
    }
}

/// <summary>The technical analyst on its own (the firm consults it through <see cref="AnalystDeskGrain"/>).</summary>
public sealed class TechnicalAnalystGrain(IServiceProvider services) : Grain, ITechnicalAnalystGrain
{
    private readonly TechnicalAnalystRole _role = TechnicalAnalystRole.From(services);

    public Task<AnalystReport> AnalyseAsync(MarketUpdate update) => Task.FromResult(_role.Analyse(update));
}
