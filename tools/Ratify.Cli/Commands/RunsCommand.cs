using System.CommandLine;
using System.Text.Json.Nodes;
using Ratify.Cli.Api;
using Ratify.Cli.Input;
using Ratify.Cli.Output;

namespace Ratify.Cli.Commands;

/// <summary><c>ratify runs start|list|get|watch|cancel|retry|replay</c>.</summary>
internal static class RunsCommand
{
    private static readonly string[] Statuses = ["pending", "running", "waiting_approval", "paused", "completed", "failed", "cancelled"];

    public static Command Create(CliRuntime cli)
    {
        var command = new Command("runs", "Start, follow and control runs");
        command.Add(Start(cli));
        command.Add(List(cli));
        command.Add(Get(cli));
        command.Add(RunWatchCommand.Create(cli));
        command.Add(Cancel(cli));
        command.Add(Retry(cli));
        command.Add(RunReplayCommand.Create(cli));
        return command;
    }

    /// <summary>The exit code for a run that has reached <paramref name="status"/>.</summary>
    public static int ExitCodeFor(string? status) => status switch
    {
        "completed" => ExitCodes.Ok,
        "failed" or "cancelled" => ExitCodes.Failed,
        _ => ExitCodes.StillRunning,
    };

    /// <summary>The run id argument shared by the run commands.</summary>
    public static Argument<string> RunId() => new("run") { Description = "The run id (run_…)" };

    private static Command Start(CliRuntime cli)
    {
        var workflow = new Argument<string>("workflow") { Description = "The workflow id" };
        var inputs = InputOptions.Pairs();
        var inputFile = InputOptions.File();
        var version = new Option<int?>("--version") { Description = "Pin a workflow version (the latest when left out)" };
        var idempotencyKey = new Option<string?>("--idempotency-key") { Description = "Retrying with the same key returns the same run instead of starting another" };
        var wait = new Option<TimeSpan?>("--wait") { Description = "Wait up to this long (e.g. 30s, at most 60s) for the run to end", CustomParser = WaitTime.Parse };
        var command = new Command("start", "Start a run of a workflow") { workflow, inputs, inputFile, version, idempotencyKey, wait };
        cli.SetApiAction(command, async (result, client, cancellationToken) =>
        {
            var body = new JsonObject
            {
                ["workflowId"] = result.GetValue(workflow),
                ["input"] = await RunInput.BuildAsync(result.GetValue(inputs), result.GetValue(inputFile), cancellationToken).ConfigureAwait(false),
            };
            if (result.GetValue(version) is { } pinned)
            {
                body["version"] = pinned;
            }

            var headers = new Dictionary<string, string>();
            if (result.GetValue(idempotencyKey) is { } key)
            {
                headers["Idempotency-Key"] = key;
            }

            var waitFor = result.GetValue(wait);
            var path = RatifyClient.Path("/v1/runs", ("wait", waitFor is { } w ? $"{(int)w.TotalSeconds}s" : null));
            var response = await client.SendAsync(HttpMethod.Post, path, body, headers, cancellationToken).ConfigureAwait(false);
            var status = Values.Text(response.Json, "status");
            if (cli.Json(result))
            {
                await cli.WriteJsonAsync(response).ConfigureAwait(false);
            }
            else if (response.Json["steps"] is not null)
            {
                await RunPrinter.WriteAsync(cli.Out, response.Json).ConfigureAwait(false);
            }
            else
            {
                await cli.Out.WriteLineAsync($"{Values.Text(response.Json, "runId")}  {status}").ConfigureAwait(false);
            }

            return waitFor is null ? ExitCodes.Ok : ExitCodeFor(status);
        });
        return command;
    }

    private static Command List(CliRuntime cli)
    {
        var status = new Option<string?>("--status") { Description = "Only runs with this status" };
        status.AcceptOnlyFromAmong(Statuses);
        var workflow = new Option<string?>("--workflow") { Description = "Only runs of this workflow" };
        var page = new PageOptions();
        var command = new Command("list", "List runs, newest first") { status, workflow };
        page.AddTo(command);
        cli.SetApiAction(command, async (result, client, cancellationToken) =>
        {
            var path = RatifyClient.Path("/v1/runs", [("status", result.GetValue(status)), ("workflowId", result.GetValue(workflow)), .. page.Query(result)]);
            var response = await client.SendAsync(HttpMethod.Get, path, cancellationToken: cancellationToken).ConfigureAwait(false);
            return await cli.ShowAsync(result, response, async json =>
            {
                var table = new Table("RUN", "WORKFLOW", "STATUS", "CREATED", "COMPLETED", "ERROR");
                foreach (var run in Values.Items(json, "runs"))
                {
                    table.Add(Values.Text(run, "runId"), $"{Values.Text(run, "workflowId")} v{Values.Text(run, "version")}", Values.Text(run, "status"),
                        Values.Time(run, "createdAt"), Values.Time(run, "completedAt"), Values.Error(run));
                }

                table.WriteTo(cli.Out);
                await page.WriteNextAsync(cli, response).ConfigureAwait(false);
            }).ConfigureAwait(false);
        });
        return command;
    }

    private static Command Get(CliRuntime cli)
    {
        var runId = RunId();
        var command = new Command("get", "Show a run with its steps") { runId };
        cli.SetApiAction(command, async (result, client, cancellationToken) =>
        {
            var response = await client.SendAsync(HttpMethod.Get, $"/v1/runs/{RatifyClient.Segment(result.GetValue(runId)!)}", cancellationToken: cancellationToken)
                .ConfigureAwait(false);
            return await cli.ShowAsync(result, response, run => RunPrinter.WriteAsync(cli.Out, run)).ConfigureAwait(false);
        });
        return command;
    }

    private static Command Cancel(CliRuntime cli)
    {
        var runId = RunId();
        var reason = new Option<string?>("--reason") { Description = "Why (kept as the run's error message)" };
        var command = new Command("cancel", "Cancel a run that has not finished") { runId, reason };
        cli.SetApiAction(command, (result, client, cancellationToken) =>
            ActAsync(cli, result, client, $"/v1/runs/{RatifyClient.Segment(result.GetValue(runId)!)}/cancel",
                result.GetValue(reason) is { } why ? new JsonObject { ["reason"] = why } : null, cancellationToken));
        return command;
    }

    private static Command Retry(CliRuntime cli)
    {
        var runId = RunId();
        var command = new Command("retry", "Run a failed or cancelled run on from its failed steps, reusing the completed ones") { runId };
        cli.SetApiAction(command, (result, client, cancellationToken) =>
            ActAsync(cli, result, client, $"/v1/runs/{RatifyClient.Segment(result.GetValue(runId)!)}/retry", null, cancellationToken));
        return command;
    }

    private static async Task<int> ActAsync(CliRuntime cli, ParseResult result, RatifyClient client, string path, JsonNode? body, CancellationToken cancellationToken)
    {
        var response = await client.SendAsync(HttpMethod.Post, path, body, cancellationToken: cancellationToken).ConfigureAwait(false);

        // 202: the orchestration has not taken the change yet; the status shown is the one it still has.
        var pending = response.Status == 202 ? " (requested; the run has not taken it yet)" : "";
        return await cli.ShowAsync(result, response, run => cli.Out.WriteLineAsync($"{Values.Text(run, "runId")}  {Values.Text(run, "status")}{pending}"))
            .ConfigureAwait(false);
    }
}
