using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text.RegularExpressions;

namespace AgentFirm.Host.Cli;

/// <summary>
/// Turns System.CommandLine's parse errors into one line in the user's own terms: the flag and the value they
/// typed ("--sr 'abc' is not a number", never a .NET type name) and, for a misspelled verb or flag, the
/// nearest known ones.
/// </summary>
public static partial class ParseErrors
{
    /// <summary>The single line to show: a misspelling first (it usually explains the rest), then a bad value, then the rest.</summary>
    public static string Describe(ParseResult parse)
    {
        var lines = parse.Errors.Select(e => (Rank: Rank(e), Text: Translate(e, parse))).OrderBy(e => e.Rank).ToList();
        return lines[0].Text;
    }

    private static int Rank(ParseError error) =>
        Unrecognized().IsMatch(error.Message) ? 0 : CannotParse().IsMatch(error.Message) || NotAllowed().IsMatch(error.Message) ? 1 : 2;

    private static string Translate(ParseError error, ParseResult parse)
    {
        if (Unrecognized().Match(error.Message) is { Success: true } u) return UnknownToken(u.Groups["token"].Value, parse);
        if (CannotParse().Match(error.Message) is { Success: true } c)
            return $"{c.Groups["option"].Value} '{c.Groups["value"].Value}' {Expected(c.Groups["type"].Value)}.";
        if (NotAllowed().Match(error.Message) is { Success: true } n)
        {
            var allowed = error.Message[(n.Length)..].Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(s => s.Trim('\'')).ToArray();
            var flag = OptionOf(error.SymbolResult);
            var value = n.Groups["value"].Value;
            return $"{(flag is null ? "" : flag + " ")}'{value}' must be one of: {string.Join(", ", allowed)}{Suggest.DidYouMean(value, allowed)}.";
        }
        return string.Join(' ', error.Message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    private static string UnknownToken(string token, ParseResult parse)
    {
        var command = parse.CommandResult.Command;
        if (token.StartsWith('-'))
        {
            var flags = FlagsOf(parse.CommandResult).ToList();
            var where = command is RootCommand ? "agentfirm" : $"'{Path(parse.CommandResult)}'";
            return $"{where} has no flag '{token}'{Suggest.DidYouMean(token, flags)}; see {Path(parse.CommandResult)} --help.";
        }
        if (command.Subcommands.Count > 0)
            return $"'{token}' is not a command of {(command is RootCommand ? "agentfirm" : $"'{Path(parse.CommandResult)}'")}{Suggest.DidYouMean(token, command.Subcommands.Select(s => s.Name))}; commands: {string.Join(", ", command.Subcommands.Select(s => s.Name))}.";
        return $"unexpected argument '{token}' for '{Path(parse.CommandResult)}' (flags take the form --name value).";
    }

    private static IEnumerable<string> FlagsOf(CommandResult result)
    {
        foreach (var option in result.Command.Options) { yield return option.Name; foreach (var alias in option.Aliases) yield return alias; }
        // recursive options (--verbose) of the commands above apply here too
        for (var parent = result.Parent as CommandResult; parent is not null; parent = parent.Parent as CommandResult)
            foreach (var option in parent.Command.Options.Where(o => o.Recursive)) yield return option.Name;
    }

    private static string Path(CommandResult result)
    {
        var names = new List<string>();
        for (SymbolResult? r = result; r is CommandResult c; r = c.Parent)
            if (c.Command is not RootCommand) names.Insert(0, c.Command.Name);
        return string.Join(' ', names.Prepend("agentfirm"));
    }

    private static string? OptionOf(SymbolResult? result) => result switch
    {
        OptionResult o => o.Option.Name,
        ArgumentResult { Parent: OptionResult o } => o.Option.Name,
        _ => null,
    };

    private static string Expected(string typeName)
    {
        var t = typeName.Replace("System.Nullable`1[", "").TrimEnd(']');
        return t switch
        {
            "System.Double" or "System.Single" or "System.Decimal" => "is not a number",
            "System.Int32" or "System.Int64" or "System.Int16" => "is not a whole number",
            "System.Boolean" => "is not true or false",
            _ => "is not a valid value",
        };
    }

    [GeneratedRegex(@"^Unrecognized command or argument '(?<token>.*)'\.$", RegexOptions.Singleline)]
    private static partial Regex Unrecognized();

    [GeneratedRegex(@"^Cannot parse argument '(?<value>.*)' for (option|command) '(?<option>[^']*)' as expected type '(?<type>[^']*)'", RegexOptions.Singleline)]
    private static partial Regex CannotParse();

    [GeneratedRegex(@"^Argument '(?<value>.*)' not recognized\. Must be one of:", RegexOptions.Singleline)]
    private static partial Regex NotAllowed();
}
