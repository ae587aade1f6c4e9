namespace AgentFirm.Dashboard.Model;

/// <summary>What the form launches: one strategy against buy-and-hold (`agentfirm backtest`) or the firm's evaluation (`agentfirm evaluate`).</summary>
public enum LaunchKind
{
    Backtest,
    Evaluation,
}

/// <summary>
/// The launch form's fields, as the CLI flags of the same names take them; a blank optional field leaves the
/// host's configured default. Values are checked by the CLI itself, so the form and the command line cannot disagree.
/// </summary>
public sealed record BacktestLaunchRequest
{
    public LaunchKind Kind { get; init; } = LaunchKind.Backtest;
    /// <summary>A bar file or a folder laid out as DIR/&lt;timeframe&gt;/&lt;SYMBOL&gt;.csv (--data).</summary>
    public string Data { get; init; } = "";
    /// <summary>Comma-separated symbols (--symbols); blank = every symbol the data holds.</summary>
    public string Symbols { get; init; } = "";
    public string Timeframe { get; init; } = "1d";
    /// <summary>First traded bar and last bar, yyyy-MM-dd or ISO-8601 UTC (--from, --to); blank = the data's own span.</summary>
    public string From { get; init; } = "";
    public string To { get; init; } = "";
    /// <summary>A strategy the catalog knows, or "firm"; evaluations always run the firm and its variants.</summary>
    public string Strategy { get; init; } = "sma-cross";
    /// <summary>Strategy parameters as key=value separated by spaces or commas (each becomes a --param).</summary>
    public string Parameters { get; init; } = "";
    public double? TakerFeeBps { get; init; }
    public double? SlippageBps { get; init; }
    public double? SpreadBps { get; init; }
    public string Warmup { get; init; } = "";

    /// <summary>The command line that runs this request, writing into <paramref name="outFolder"/>.</summary>
    public IReadOnlyList<string> Arguments(string outFolder)
    {
        var args = new List<string> { Kind == LaunchKind.Evaluation ? "evaluate" : "backtest", "--data", Data.Trim(), "--timeframe", Timeframe.Trim(), "--out", outFolder };
        void Add(string flag, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value)) args.AddRange([flag, value.Trim()]);
        }
        static string? Number(double? v) => v?.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Add("--symbols", Symbols);
        Add("--from", From);
        Add("--to", To);
        Add("--warmup", Warmup);
        Add("--fee-bps", Number(TakerFeeBps));
        Add("--slippage-bps", Number(SlippageBps));
        Add("--spread-bps", Number(SpreadBps));
        if (Kind == LaunchKind.Backtest)
        {
            Add("--strategy", Strategy);
            foreach (var p in Parameters.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                args.AddRange(["--param", p]);
        }
        return args;
    }
}

public enum LaunchState
{
    Queued,
    Running,
    Succeeded,
    Failed,
    Cancelled,
}

/// <summary>A launched run as the host follows it.</summary>
/// <param name="Progress">0 to 1, as the command reports it (in tenths).</param>
/// <param name="RunId">The report folder's name: the run's id on the backtests page once it has finished.</param>
/// <param name="Message">The command's error line when it failed, or its report line when it finished.</param>
/// <param name="Output">What the command printed on stdout (its summary table).</param>
public sealed record BacktestLaunch(
    string Id,
    BacktestLaunchRequest Request,
    DateTimeOffset Started,
    LaunchState State,
    double Progress,
    string RunId,
    string? Message,
    string Output)
{
    public bool Finished => State is LaunchState.Succeeded or LaunchState.Failed or LaunchState.Cancelled;
}

/// <summary>
/// Runs backtests and evaluations for the dashboard, through the same code as the CLI verbs, into the reports
/// folder the backtests page lists. Optional: a host that does not register one gets a list without the form.
/// </summary>
public interface IBacktestLauncher
{
    /// <summary>Every launch since the host started, newest first.</summary>
    IReadOnlyList<BacktestLaunch> Launches { get; }

    /// <summary>Queues the run (one runs at a time: the machine's cores are shared with the live firm).</summary>
    BacktestLaunch Launch(BacktestLaunchRequest request);

    void Cancel(string launchId);

    /// <summary>Deletes a finished run's report folder; false when no listed run has that id or it is being written.</summary>
    bool Delete(string runId);

    /// <summary>Fires when a launch starts, progresses or ends, or a run is deleted; on any thread.</summary>
    event Action? Changed;
}
