using System.CommandLine;
using AgentFirm.Agents;
using AgentFirm.Agents.Hosting;
using AgentFirm.Core;
using AgentFirm.Dashboard;
using AgentFirm.Dashboard.Model;
using AgentFirm.Host.Firm;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AgentFirm.Host.Cli;

/// <summary>
/// `agentfirm` with no verb: one Orleans silo (localhost clustering, SQLite state and ledger under the
/// data folder), the dashboard on http://127.0.0.1:5080, and a live session of the firm on the simulator
/// with an accelerated clock (or replaying files with --data). Runs until Ctrl+C.
/// </summary>
public static class LiveCommand
{
    public static void Attach(RootCommand root, TextWriter stdout, TextWriter stderr)
    {
        var data = new Option<string?>("--data") { Description = "Replay bar files (a file or a folder like ../shared/data/ohlcv) instead of the simulator" };
        var symbols = new Option<string?>("--symbols") { Description = "Symbols to replay (default BTC-USDT,ETH-USDT)" };
        var timeframe = new Option<string>("--timeframe") { Description = "Bar interval", DefaultValueFactory = _ => "1h" };
        var speed = new Option<double?>("--speed") { Description = "Decision steps per second (the accelerated clock)" };
        var days = new Option<int?>("--days") { Description = "Days of simulated market" };
        var seed = new Option<long?>("--seed") { Description = "Simulator seed" };
        var urls = new Option<string?>("--urls") { Description = "Dashboard address (default from appsettings.json: http://127.0.0.1:5080)" };
        var steps = new Option<int>("--steps") { Description = "Stop after this many decision steps (0 = run until Ctrl+C)", DefaultValueFactory = _ => 0 };
        foreach (var o in new Option[] { data, symbols, timeframe, speed, days, seed, urls, steps }) root.Options.Add(o);

        root.SetAction(async (parse, ct) =>
        {
            var settings = AgentFirmSettings.Load();
            var live = new LiveSessionOptions
            {
                Speed = parse.GetValue(speed) ?? settings.Live.Speed,
                Days = parse.GetValue(days) ?? settings.Live.Days,
                Seed = parse.GetValue(seed) ?? settings.Live.Seed,
                Timeframe = CliParsing.Timeframe(parse.GetValue(timeframe)!),
                DataPath = parse.GetValue(data),
                Symbols = CliParsing.Symbols(parse.GetValue(symbols)),
                StopAfterSteps = parse.GetValue(steps),
            };
            if (!(live.Speed > 0)) throw new BadInputException("--speed must be a positive number of steps per second.");
            if (live.Days <= 0) throw new BadInputException("--days must be positive.");
            if (live.DataPath is not null && !File.Exists(live.DataPath) && !Directory.Exists(live.DataPath))
                throw new BadInputException($"--data '{live.DataPath}' is neither a file nor a folder.");
            var address = parse.GetValue(urls) ?? settings.DashboardUrls;

            var app = Build(settings, live, address);
            await app.StartAsync(ct);
            await stdout.WriteLineAsync($"AgentFirm is running: dashboard on {string.Join(", ", app.Urls)}; {(live.DataPath is null ? "simulated market" : $"replaying {live.DataPath}")} at {live.Speed} steps/s; state in {RunPaths.Relative(settings.DataFolder)}. Ctrl+C stops it.");
            await app.WaitForShutdownAsync(ct);
            var monitor = app.Services.GetRequiredService<FirmMonitor>();
            await stdout.WriteLineAsync($"stopped after {monitor.Steps} decision step(s); {(monitor.FirstFillStep is { } first ? $"first fill at step {first}" : "no fill yet")}.");
            return ExitCodes.Success;
        });
    }

    public static WebApplication Build(AgentFirmSettings settings, LiveSessionOptions live, string urls)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ContentRootPath = AppContext.BaseDirectory,
            // The static web assets manifest is named after this assembly, whoever hosts the process.
            ApplicationName = typeof(LiveCommand).Assembly.GetName().Name,
        });
        builder.WebHost.UseStaticWebAssets(); // serves the dashboard's and MudBlazor's files without a publish step
        builder.WebHost.UseUrls(urls);
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true).AddFilter("Orleans", LogLevel.Warning).AddFilter("Microsoft", LogLevel.Warning).AddFilter("Polly", LogLevel.Warning);

        var limits = settings.Risk;
        var mindStats = new AgentFirm.Llm.MindStats();
        var mind = settings.CreateMind(LoggerFactory.Create(l => l.AddSimpleConsole()), mindStats);
        builder.UseOrleans(silo => silo
            .UseLocalhostClustering(settings.SiloPort > 0 ? settings.SiloPort : LoopbackPort.Free(), settings.GatewayPort > 0 ? settings.GatewayPort : LoopbackPort.Free())
            .AddAgentFirm(new FirmSiloSettings { DatabasePath = Path.Combine(settings.DataFolder, "agentfirm.db"), RiskLimits = limits, Strategic = settings.Strategic, Tactical = settings.Tactical, OneWayCostBps = settings.OneWayCostBps, Firm = settings.FirmOptions(), Mind = mind, Sentiment = settings.Sentiment, OnnxLoader = settings.SentimentOnnxLoader(LoggerFactory.Create(l => l.AddSimpleConsole())), Forecaster = settings.Forecaster.CreateFactory(message => Console.Error.WriteLine($"forecaster: {message}")) }));
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(live);
        builder.Services.AddSingleton(new FirmMonitor(limits, settings.ReportsFolder)
        {
            MindStatus = mind is AgentFirm.Llm.OfflineMind ? null : () => mindStats.Alarm() ?? mindStats.Describe(),
            MindDescription = DescribeMind(settings),
        });
        builder.Services.AddSingleton<IFirmMonitor>(sp => sp.GetRequiredService<FirmMonitor>());
        builder.Services.AddSingleton<IRiskControls>(sp => sp.GetRequiredService<FirmMonitor>());
        builder.Services.AddHostedService<LiveSession>();
        builder.Services.AddAgentFirmDashboard();

        var app = builder.Build();
        app.MapAgentFirmDashboard();
        return app;
    }

    /// <summary>For the agents page: which mind decides, and the version (hash) of each prompt it reads.</summary>
    private static string DescribeMind(AgentFirmSettings settings)
    {
        var options = settings.Llm();
        if (options.Mind == AgentFirm.Llm.MindKind.Offline) return "offline rules (no LLM)";
        var prompts = new AgentFirm.Llm.PromptLibrary(options.PromptsPath(Environment.CurrentDirectory));
        var versions = AgentFirm.Llm.Minds.PromptRoles.Select(role => $"{role} prompt {prompts.LoadAsync(role, CancellationToken.None).GetAwaiter().GetResult().Version}");
        return $"{options.Mind} mind, model {options.Model}; {string.Join(", ", versions)}";
    }

}
