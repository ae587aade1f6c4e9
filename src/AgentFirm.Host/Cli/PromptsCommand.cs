using System.CommandLine;
using System.Text;
using AgentFirm.Core;
using AgentFirm.Llm;
using Spectre.Console;

namespace AgentFirm.Host.Cli;

/// <summary>
/// `agentfirm prompts list|show|diff`: the prompt variants in AgentFirm:Llm:PromptsFolder (prompts/ of the
/// working directory by default), their versions (role/variant@hash) and what changed between two of them.
/// </summary>
public static class PromptsCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var command = new Command("prompts", "List, show and diff the prompt variants (prompts/<role>/<variant>.md).");
        command.Subcommands.Add(List(stdout));
        command.Subcommands.Add(Show(stdout));
        command.Subcommands.Add(Diff(stdout));
        return command;
    }

    private static PromptLibrary Library() => new(AgentFirmSettings.Load().Llm().PromptsPath(Environment.CurrentDirectory));

    private static Command List(TextWriter stdout)
    {
        var command = new Command("list", "Every role's variants with version, tier, output schema and description.");
        command.SetAction(_ =>
        {
            var library = Library();
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(stdout) });
            var table = new Table().Title(Markup.Escape($"prompts in {RunPaths.Relative(library.Folder)}"))
                .AddColumn("role").AddColumn("variant").AddColumn("version").AddColumn("tier").AddColumn("output").AddColumn("description");
            foreach (var role in library.Roles())
            foreach (var variant in library.Variants(role))
            {
                try
                {
                    var t = library.Load(role, variant);
                    table.AddRow(Markup.Escape(role), Markup.Escape(variant), t.Hash, t.Settings.Tier ?? "-", t.Settings.Output.ToString(), Markup.Escape(t.Settings.Description));
                }
                catch (PromptTemplateException e)
                {
                    table.AddRow(Markup.Escape(role), Markup.Escape(variant), "[red]invalid[/]", "-", "-", Markup.Escape(e.Message));
                }
            }
            console.Write(table);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Argument<string> PromptArgument(string name) => new(name) { Description = "role/variant, e.g. technical/baseline (a bare role means its baseline)" };

    private static PromptTemplate Load(PromptLibrary library, string name)
    {
        var parts = name.Split('/', 2);
        var (role, variant) = (parts[0], parts.Length > 1 ? parts[1] : PromptLibrary.DefaultVariant);
        try
        {
            return library.Load(role, variant);
        }
        catch (PromptTemplateException e)
        {
            var known = library.Roles().SelectMany(r => library.Variants(r).Select(v => $"{r}/{v}"));
            throw new BadInputException($"prompt '{name}': {e.Message} Known: {string.Join(", ", known)}.");
        }
    }

    private static Command Show(TextWriter stdout)
    {
        var prompt = PromptArgument("prompt");
        var command = new Command("show", "Print a variant's file with its version.") { prompt };
        command.SetAction(parse =>
        {
            var template = Load(Library(), parse.GetValue(prompt)!);
            stdout.WriteLine($"# {template.Version} ({RunPaths.Relative(template.Path)})");
            stdout.Write(File.ReadAllText(template.Path, Encoding.UTF8));
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Diff(TextWriter stdout)
    {
        var first = PromptArgument("from");
        var second = PromptArgument("to");
        var command = new Command("diff", "The lines that differ between two variants ('-' only in the first, '+' only in the second).") { first, second };
        command.SetAction(parse =>
        {
            var library = Library();
            var a = Load(library, parse.GetValue(first)!);
            var b = Load(library, parse.GetValue(second)!);
            stdout.WriteLine($"--- {a.Version}");
            stdout.WriteLine($"+++ {b.Version}");
            foreach (var line in LineDiff.Of(File.ReadAllLines(a.Path, Encoding.UTF8), File.ReadAllLines(b.Path, Encoding.UTF8)))
                stdout.WriteLine(line);
            return ExitCodes.Success;
        });
        return command;
    }
}

/// <summary>A line diff by longest common subsequence: prompts are short (tens of lines), so the quadratic table is cheap.</summary>
public static class LineDiff
{
    /// <summary>Every line of both texts in order: "  " kept, "- " only in <paramref name="a"/>, "+ " only in <paramref name="b"/>.</summary>
    public static IEnumerable<string> Of(IReadOnlyList<string> a, IReadOnlyList<string> b)
    {
        // common[i, j] = length of the longest common subsequence of a[i..] and b[j..]
        var common = new int[a.Count + 1, b.Count + 1];
        for (var i = a.Count - 1; i >= 0; i--)
        for (var j = b.Count - 1; j >= 0; j--)
            common[i, j] = a[i] == b[j] ? common[i + 1, j + 1] + 1 : Math.Max(common[i + 1, j], common[i, j + 1]);
        int x = 0, y = 0;
        while (x < a.Count || y < b.Count)
        {
            if (x < a.Count && y < b.Count && a[x] == b[y]) { yield return "  " + a[x]; x++; y++; }
            else if (x < a.Count && (y == b.Count || common[x + 1, y] >= common[x, y + 1])) yield return "- " + a[x++];
            else yield return "+ " + b[y++];
        }
    }
}
