using System.CommandLine;
using AgentFirm.Core;
using AgentFirm.Llm;

namespace AgentFirm.Host.Cli;

/// <summary>
/// `--llm live|record|replay` and `--llm-cassettes FILE` on every verb that runs the firm (backtest, evaluate,
/// live). They set AgentFirm:Llm:Mode and AgentFirm:Llm:CassettePath for the run, so the flag and the
/// configuration cannot disagree about what the minds do.
/// </summary>
public sealed class LlmFlags
{
    public Option<string?> Mode { get; } = new("--llm")
    {
        Description = "How model calls meet the cassettes: live (ask the model), record (answer from the cassettes where they hold the call, ask and store the rest), replay (cassettes only: no endpoint or key needed; a call they lack is an error naming it). Default AgentFirm:Llm:Mode (live)",
    };

    public Option<string?> Cassettes { get; } = new("--llm-cassettes") { Description = "The cassette file (default AgentFirm:Llm:CassettePath: cassettes/llm.db, relative to the working directory)" };

    public IEnumerable<Option> All => [Mode, Cassettes];

    /// <summary>The configuration keys the flags set; a mode that is not live, record or replay is exit 2 naming the flag.</summary>
    public IReadOnlyList<KeyValuePair<string, string?>> Overrides(ParseResult parse)
    {
        var values = new List<KeyValuePair<string, string?>>();
        if (parse.GetValue(Mode) is { } mode)
        {
            var parsed = mode.Trim().ToLowerInvariant() switch
            {
                "live" => LlmMode.Live,
                "record" => LlmMode.Record,
                "replay" => LlmMode.Replay,
                _ => throw new BadInputException($"--llm '{mode}' is not live, record or replay."),
            };
            values.Add(KeyValuePair.Create($"{LlmOptions.Section}:Mode", (string?)parsed.ToString()));
        }
        if (parse.GetValue(Cassettes) is { } file)
        {
            if (string.IsNullOrWhiteSpace(file)) throw new BadInputException("--llm-cassettes needs a file name.");
            values.Add(KeyValuePair.Create($"{LlmOptions.Section}:CassettePath", (string?)file));
        }
        return values;
    }
}
