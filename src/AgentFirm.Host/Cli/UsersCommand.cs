using System.CommandLine;
using AgentFirm.Agents.Persistence;
using AgentFirm.Core;
using AgentFirm.Host.Auth;

namespace AgentFirm.Host.Cli;

/// <summary>
/// `agentfirm users add NAME --role viewer|operator`: a person who may sign in to a dashboard bound beyond loopback.
/// The password comes from AGENTFIRM_PASSWORD or the first line of stdin, never from a flag (flags end up in shell
/// history and process lists), and only its PBKDF2 hash is stored: in the embedded SQLite file, or with --cluster in
/// the cluster's PostgreSQL.
/// </summary>
public static class UsersCommand
{
    public const string PasswordVariable = "AGENTFIRM_PASSWORD";

    public static Command Create(TextWriter stdout, TextWriter stderr, TextReader? stdin = null)
    {
        var name = new Argument<string>("name") { Description = "The name to sign in with" };
        var role = new Option<string>("--role") { Description = "viewer (sees every page) or operator (may also engage the kill switch and reset a halted firm)", DefaultValueFactory = _ => Roles.Viewer };
        var cluster = new Option<bool>("--cluster") { Description = "Store the user in the cluster's PostgreSQL (AgentFirm:Cluster:Postgres or --postgres)" };
        var clusterFlags = new ClusterFlags();
        var add = new Command("add", $"Add a user; the password comes from ${PasswordVariable} or the first line of stdin (at least {Passwords.MinimumLength} characters).");
        add.Arguments.Add(name);
        foreach (var o in new Option[] { role, cluster }.Concat(clusterFlags.All)) add.Options.Add(o);
        add.SetAction(async (parse, ct) =>
        {
            var settings = AgentFirmSettings.Load();
            var who = parse.GetValue(name)!.Trim();
            if (who.Length == 0 || who.Length > 64 || who.Any(char.IsControl)) throw new BadInputException("NAME must be 1 to 64 printable characters.");
            var chosen = Roles.Parse(parse.GetValue(role)!);
            var password = Environment.GetEnvironmentVariable(PasswordVariable) ?? (stdin ?? Console.In).ReadLine();
            if (string.IsNullOrEmpty(password))
                throw new BadInputException($"no password: set {PasswordVariable} or give it on the first line of stdin.");
            if (password.Length < Passwords.MinimumLength)
                throw new BadInputException($"the password is shorter than {Passwords.MinimumLength} characters.");
            var account = new UserAccount(who, chosen, Passwords.Hash(who, password));
            bool added;
            string where;
            if (parse.GetValue(cluster))
            {
                var on = clusterFlags.Resolve(parse, settings);
                await using var database = new PostgresDatabase(on.Postgres);
                await database.MigrateAsync(ct);
                added = await new PostgresUserStore(database).AddAsync(account, ct);
                where = "the cluster's PostgreSQL";
            }
            else
            {
                var path = Path.Combine(settings.DataFolder, "agentfirm.db");
                added = await new SqliteUserStore(path).AddAsync(account, ct);
                where = RunPaths.Relative(path);
            }
            if (!added) throw new BadInputException($"a user named {who} already exists in {where}.");
            await stdout.WriteLineAsync($"added {who} ({chosen}) to {where}; only a PBKDF2 hash of the password is stored.");
            return ExitCodes.Success;
        });
        var users = new Command("users", "The people who may sign in to a dashboard bound beyond loopback.");
        users.Subcommands.Add(add);
        return users;
    }
}
