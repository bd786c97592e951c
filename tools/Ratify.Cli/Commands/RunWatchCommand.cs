using System.CommandLine;
using Ratify.Cli.Output;

namespace Ratify.Cli.Commands;

/// <summary><c>ratify runs watch &lt;run&gt;</c>: follows the run's event stream until it ends.</summary>
internal static class RunWatchCommand
{
    public static Command Create(CliRuntime cli)
    {
        var runId = RunsCommand.RunId();
        var command = new Command("watch", "Follow a run live until it ends; exits 0 when it completed, 1 when it failed or was cancelled") { runId };
        cli.SetApiAction(command, async (result, client, cancellationToken) =>
        {
            var json = cli.Json(result);
            using var watcher = new RunWatcher(client, result.GetValue(runId)!, json ? new JsonEventWriter(cli.Out) : new ProgressWriter(cli.Out), announceApprovals: !json);
            var run = await watcher.WatchAsync(cancellationToken).ConfigureAwait(false);
            var status = Values.Text(run, "status");
            if (!json)
            {
                await cli.Out.WriteLineAsync($"run {Values.Text(run, "runId")} {status}{(Values.Error(run) is { } e ? ": " + e : "")}").ConfigureAwait(false);
            }

            return RunsCommand.ExitCodeFor(status);
        });
        return command;
    }
}
