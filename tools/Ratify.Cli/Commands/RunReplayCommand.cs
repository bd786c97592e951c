using System.CommandLine;
using System.Text.Json.Nodes;
using Ratify.Cli.Api;
using Ratify.Cli.Input;
using Ratify.Cli.Output;

namespace Ratify.Cli.Commands;

/// <summary><c>ratify runs replay &lt;run&gt; --from-step S [--dry-run]</c>.</summary>
internal static class RunReplayCommand
{
    public static Command Create(CliRuntime cli)
    {
        var runId = RunsCommand.RunId();
        var fromStep = new Option<string>("--from-step") { Description = "The first step to execute again; earlier results are reused", Required = true };
        var dryRun = new Option<bool>("--dry-run") { Description = "Only show which steps would be reused and which would run" };
        var rerunIrreversible = new Option<bool>("--rerun-irreversible") { Description = "Allow steps with an irreversible side effect (a message sent) to run again" };
        var inputs = InputOptions.Pairs();
        var inputFile = InputOptions.File();
        var command = new Command("replay", "Start a new run from a step of this one, reusing the results before it")
        {
            runId, fromStep, dryRun, rerunIrreversible, inputs, inputFile,
        };
        cli.SetApiAction(command, async (result, client, cancellationToken) =>
        {
            var body = new JsonObject { ["fromStep"] = result.GetValue(fromStep), ["dryRun"] = result.GetValue(dryRun) };
            if (result.GetValue(rerunIrreversible))
            {
                body["rerunIrreversible"] = true;
            }

            if (await RunInput.BuildAsync(result.GetValue(inputs), result.GetValue(inputFile), cancellationToken).ConfigureAwait(false) is { } input)
            {
                body["input"] = input;
            }

            var response = await client.SendAsync(HttpMethod.Post, $"/v1/runs/{RatifyClient.Segment(result.GetValue(runId)!)}/replay", body,
                cancellationToken: cancellationToken).ConfigureAwait(false);
            if (cli.Json(result))
            {
                await cli.WriteJsonAsync(response).ConfigureAwait(false);
            }
            else if (response.Json["steps"] is not null)
            {
                await WritePlanAsync(cli.Out, response.Json).ConfigureAwait(false);
            }
            else
            {
                await cli.Out.WriteLineAsync($"{Values.Text(response.Json, "runId")}  {Values.Text(response.Json, "status")}  (replays {Values.Text(response.Json, "replayOf")})")
                    .ConfigureAwait(false);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static async Task WritePlanAsync(TextWriter writer, JsonNode plan)
    {
        var table = new Table("STEP", "ACTION", "SIDE EFFECT", "NOTE");
        foreach (var step in Values.Items(plan, "steps"))
        {
            table.Add(Values.Text(step, "id"), Values.Text(step, "action"), Values.Text(step, "sideEffect"), Values.Text(step, "note"));
        }

        table.WriteTo(writer);
        var refused = Values.Items(plan, "wouldRefuse").Select(Values.Text).ToList();
        await writer.WriteLineAsync(refused.Count == 0
            ? "dry run: nothing started"
            : $"dry run: nothing started; the replay would be refused because of {string.Join(", ", refused)} (see --rerun-irreversible)").ConfigureAwait(false);
    }
}
