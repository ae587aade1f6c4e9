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
        var cluster = new Option<bool>("--cluster") { Description = "Run the live firm on the running cluster (agentfirm silo --profile cluster) as a client" };
        var clusterFlags = new ClusterFlags();
        var llm = new LlmFlags();
        foreach (var o in new Option[] { data, symbols, timeframe, speed, days, seed, urls, steps, cluster }.Concat(llm.All)) root.Options.Add(o);
        foreach (var o in clusterFlags.All) root.Options.Add(o);

        root.SetAction(async (parse, ct) =>
        {
            var settings = AgentFirmSettings.Load(llm.Overrides(parse));
            var live = new LiveSessionOptions
            {
                Speed = parse.GetValue(speed) ?? settings.Live.Speed,
                Days = parse.GetValue(days) ?? settings.Live.Days,
                Seed = parse.GetValue(seed) ?? settings.Live.Seed,
                Timeframe = CliParsing.Timeframe(parse.GetValue(timeframe)!),
                DataPath = parse.GetValue(data),
                Symbols = CliParsing.Symbols(parse.GetValue(symbols)),
                StopAfterSteps = parse.GetValue(steps),
                Cluster = parse.GetValue(cluster) ? clusterFlags.Resolve(parse, settings) : null,
            };
            if (!(live.Speed > 0)) throw new BadInputException("--speed must be a positive number of steps per second.");
            if (live.Days <= 0) throw new BadInputException("--days must be positive.");
            if (live.DataPath is not null && !File.Exists(live.DataPath) && !Directory.Exists(live.DataPath))
                throw new BadInputException($"--data '{live.DataPath}' is neither a file nor a folder.");
            var address = parse.GetValue(urls) ?? settings.DashboardUrls;

            var users = Auth.DashboardSignIn.Required(address) ? await SignInUsersAsync(settings, live, address, ct) : null;
            var app = Build(settings, live, address, users);
            await app.StartAsync(ct);
            foreach (var line in StartupLines(app, settings, live)) await stdout.WriteLineAsync(line);
            await app.WaitForShutdownAsync(ct);
            var monitor = app.Services.GetRequiredService<FirmMonitor>();
            await stdout.WriteLineAsync($"stopped after {monitor.Steps} decision step(s); {(monitor.FirstFillStep is { } first ? $"first fill at step {first}" : "no fill yet")}.");
            return ExitCodes.Success;
        });
    }

    /// <summary>What was started and where, printed before anything else the session logs.</summary>
    internal static IEnumerable<string> StartupLines(WebApplication app, AgentFirmSettings settings, LiveSessionOptions live)
    {
        var dashboard = string.Join(", ", app.Urls);
        var ports = app.Services.GetService<SiloPorts>(); // none when the host is a client of a cluster
        var limits = settings.Risk;
        string Pct(double v) => (v * 100).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture) + "%";
        yield return $"AgentFirm is running: dashboard on {dashboard}. Ctrl+C stops it.";
        yield return $"  pages      {dashboard.Split(", ")[0].TrimEnd('/')}/ overview, /agents, /decisions, /risk (kill switch, reset, audit), /market, /sessions, /backtests (launch, compare)";
        yield return live.DataPath is null
            ? $"  market     simulated market ({live.Days} days of {live.Timeframe} bars, seed {live.Seed}) at {live.Speed} steps/s"
            : $"  market     replaying {live.DataPath} ({live.Timeframe} bars) at {live.Speed} steps/s";
        if (ports is null || live.Cluster is not null)
        {
            yield return $"  silo       a client of the cluster ({live.Cluster?.Describe()})";
            yield return "  state      the cluster's Redis (grain state) and PostgreSQL (the ledger)";
        }
        else
        {
            yield return $"  silo       one Orleans silo, localhost clustering, silo port {ports.Silo}, gateway port {ports.Gateway}";
            yield return $"  state      {RunPaths.Relative(Path.Combine(settings.DataFolder, "agentfirm.db"))} (SQLite: grain state and the ledger)";
        }
        yield return $"  reports    {RunPaths.Relative(settings.ReportsFolder)} (finished backtests appear on /backtests)";
        yield return $"  mind       {app.Services.GetRequiredService<FirmMonitor>().MindDescription}";
        yield return $"  risk       day loss {Pct(limits.DailyLossLimit)}, drawdown {Pct(limits.MaxDrawdown)}, gross {limits.MaxGrossExposure:0.00}x, net {limits.MaxNetExposure:0.00}x, one position {limits.MaxConcentration:0.00}x, per trade {Pct(limits.MaxRiskPerTrade)}";
        yield return $"  logs       warnings and errors only; Orleans' platform-watchdog stall warnings are hidden (they time wall-clock gaps such as a suspended machine or a debugger pause, not the firm)";
    }

    /// <summary>The silo's ports, chosen at build time (free loopback ports unless configured), for the start-up lines.</summary>
    internal sealed record SiloPorts(int Silo, int Gateway);

    /// <summary>The user store a dashboard beyond loopback signs people in against; it must hold at least one user.</summary>
    private static async Task<Auth.IUserStore> SignInUsersAsync(AgentFirmSettings settings, LiveSessionOptions live, string address, CancellationToken ct)
    {
        Auth.IUserStore users = live.Cluster is { } on
            ? new Auth.PostgresUserStore(new AgentFirm.Agents.Persistence.PostgresDatabase(on.Postgres))
            : new Auth.SqliteUserStore(Path.Combine(settings.DataFolder, "agentfirm.db"));
        if (await users.CountAsync(ct) == 0)
            throw new BadInputException($"--urls {address} binds beyond loopback, so the dashboard requires sign-in, and no user exists: add one with `agentfirm users add NAME --role operator{(live.Cluster is null ? "" : " --cluster")}`.");
        return users;
    }

    /// <param name="users">Where signed-in people are looked up; null serves the dashboard without sign-in (loopback only).</param>
    public static WebApplication Build(AgentFirmSettings settings, LiveSessionOptions live, string urls, Auth.IUserStore? users = null)
    {
        if (users is null && Auth.DashboardSignIn.Required(urls))
            throw new BadInputException($"--urls {urls} binds beyond loopback: the dashboard needs sign-in there (a user store).");
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ContentRootPath = AppContext.BaseDirectory,
            // The static web assets manifest is named after this assembly, whoever hosts the process.
            ApplicationName = typeof(LiveCommand).Assembly.GetName().Name,
        });
        builder.WebHost.UseStaticWebAssets(); // serves the dashboard's and MudBlazor's files without a publish step
        builder.WebHost.UseUrls(urls);
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true).AddFilter("Orleans", LogLevel.Warning).AddFilter("Microsoft", LogLevel.Warning).AddFilter("Polly", LogLevel.Warning)
            // The platform watchdog reports any gap in its own heartbeat thread as a runtime stall, so a machine that
            // slept or a paused container reads as "stalled for 38 minutes" in a fresh process; nobody can act on it.
            .AddFilter("Orleans.Runtime.Watchdog", LogLevel.Error);

        var limits = settings.Risk;
        var databasePath = Path.Combine(settings.DataFolder, "agentfirm.db");
        var mindStats = new AgentFirm.Llm.MindStats();
        var minds = settings.CreateFirmMinds(LoggerFactory.Create(l => l.AddSimpleConsole()), mindStats);
        var mind = minds.MetaController;
        if (live.Cluster is { } onCluster) builder.UseOrleansClient(client => client.UseAgentFirmCluster(onCluster));
        else
        {
            var ports = new SiloPorts(settings.SiloPort > 0 ? settings.SiloPort : LoopbackPort.Free(), settings.GatewayPort > 0 ? settings.GatewayPort : LoopbackPort.Free());
            builder.Services.AddSingleton(ports);
            builder.UseOrleans(silo => silo
                .UseLocalhostClustering(ports.Silo, ports.Gateway)
                .AddAgentFirm(new FirmSiloSettings { DatabasePath = databasePath, RiskLimits = limits, Strategic = settings.Strategic, Execution = settings.Execution, Tactical = settings.Tactical, OneWayCostBps = settings.OneWayCostBps, Firm = settings.FirmOptions(), Mind = mind, Minds = minds, Sentiment = settings.Sentiment, OnnxLoader = settings.SentimentOnnxLoader(LoggerFactory.Create(l => l.AddSimpleConsole())), Forecaster = settings.Forecaster.CreateFactory(message => Console.Error.WriteLine($"forecaster: {message}")) }));
        }
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(live);
        builder.Services.AddSingleton(new FirmMonitor(limits, settings.ReportsFolder)
        {
            MindStatus = !minds.AnyModel ? null : () => string.Join("; ", minds.Alarms().DefaultIfEmpty(string.Join("; ", minds.Describe()))),
            MindDescription = DescribeMind(settings),
        });
        builder.Services.AddSingleton<IFirmMonitor>(sp => sp.GetRequiredService<FirmMonitor>());
        builder.Services.AddSingleton<IRiskControls>(sp => sp.GetRequiredService<FirmMonitor>());
        builder.Services.AddSingleton<ISessionArchive>(sp => new SqliteSessionArchive(databasePath, sp.GetRequiredService<FirmMonitor>()));
        builder.Services.AddSingleton<IBacktestLauncher>(sp => new DashboardBacktestLauncher(settings.ReportsFolder, sp.GetRequiredService<FirmMonitor>()));
        builder.Services.AddHostedService<LiveSession>();
        builder.Services.AddAgentFirmDashboard();
        if (users is not null) Auth.DashboardSignIn.AddDashboardSignIn(builder.Services, users);

        var app = builder.Build();
        if (users is not null) Auth.DashboardSignIn.UseDashboardSignIn(app);
        app.MapAgentFirmDashboard();
        return app;
    }

    /// <summary>For the agents page: which roles think with a model, which model, and the version of each prompt they read.</summary>
    private static string DescribeMind(AgentFirmSettings settings)
    {
        var minds = settings.Minds();
        if (!minds.AnyModel) return "offline rules (no LLM)";
        var prompts = new AgentFirm.Llm.PromptLibrary(minds.Llm.PromptsPath(Environment.CurrentDirectory));
        return string.Join("; ", minds.Roles.Values.Where(r => r.UsesModel)
            .Select(r => $"{r.Role}: {r.Mind} mind, model {r.Model}, prompt {prompts.Load(r.Role, r.Prompt).Version}"));
    }

}
