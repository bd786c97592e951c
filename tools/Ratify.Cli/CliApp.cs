using System.CommandLine;
using Ratify.Cli.Commands;

namespace Ratify.Cli;

/// <summary>The <c>ratify</c> command tree and its entry point, callable in-process with any console.</summary>
internal static class CliApp
{
    /// <summary>Runs the command line <paramref name="args"/> and returns the exit code (<see cref="ExitCodes"/>).</summary>
    public static async Task<int> RunAsync(string[] args, CliConsole console, CancellationToken cancellationToken = default)
    {
        var root = Create(console);
        var parsed = root.Parse(args);
        var configuration = new InvocationConfiguration { Output = console.Out, Error = console.Error };
        if (parsed.Errors.Count > 0 && !AsksForHelp(args))
        {
            foreach (var error in parsed.Errors)
            {
                await console.Error.WriteLineAsync("error: " + error.Message).ConfigureAwait(false);
            }

            var command = string.Join(' ', parsed.CommandResult.Command == root ? ["ratify"] : (string[])["ratify", .. Path(parsed.CommandResult.Command, root)]);
            await console.Error.WriteLineAsync($"see `{command} --help`").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        return await parsed.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The root command with every subcommand.</summary>
    public static RootCommand Create(CliConsole console)
    {
        var options = new GlobalOptions();
        var cli = new CliRuntime(options, console);
        var root = new RootCommand("ratify: drive a Ratify server from the command line. Exit codes: 0 ok, 1 run failed or verification failed, "
            + "2 usage or invalid request, 3 not found, 4 bad key or forbidden, 5 conflict, 6 server unavailable, 7 still running after --wait.")
        {
            options.Url,
            options.Key,
            options.Json,
            WorkflowsCommand.Create(cli),
            RunsCommand.Create(cli),
            ApprovalsCommand.Create(cli),
            KeysCommand.Create(cli),
            AuditCommand.Create(cli),
        };
        return root;
    }

    private static bool AsksForHelp(string[] args) => args.Any(a => a is "--help" or "-h" or "-?");

    private static IEnumerable<string> Path(Command command, RootCommand root)
    {
        var names = new List<string>();
        for (Symbol? symbol = command; symbol is Command c && c != root; symbol = c.Parents.OfType<Command>().FirstOrDefault())
        {
            names.Insert(0, c.Name);
        }

        return names;
    }
}
