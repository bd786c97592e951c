using System.CommandLine;
using System.Text.Json.Nodes;
using Ratify.Cli.Api;
using Ratify.Cli.Input;
using Ratify.Cli.Output;

namespace Ratify.Cli.Commands;

/// <summary><c>ratify workflows apply|list|get</c>.</summary>
internal static class WorkflowsCommand
{
    public static Command Create(CliRuntime cli)
    {
        var command = new Command("workflows", "Create, version and read workflow definitions");
        command.Add(Apply(cli));
        command.Add(List(cli));
        command.Add(Get(cli));
        return command;
    }

    private static Command Apply(CliRuntime cli)
    {
        var file = new Option<FileInfo>("--file", "-f") { Description = "The workflow definition (JSON)", Required = true };
        var command = new Command("apply", "Store a definition: version 1 of a new workflow, or the next version of an existing one") { file };
        cli.SetApiAction(command, async (result, client, cancellationToken) =>
        {
            var definition = await RunInput.ReadObjectAsync(result.GetValue(file)!, "--file", cancellationToken).ConfigureAwait(false);
            if (definition["id"] is not JsonValue idValue || !idValue.TryGetValue<string>(out var id) || id.Length == 0)
            {
                throw CliException.Usage("the definition has no \"id\": name the workflow with a string id");
            }

            // Update first: the usual case once a workflow exists; a 404 means it is new.
            ApiResponse response;
            var created = false;
            try
            {
                response = await client.SendAsync(HttpMethod.Put, $"/v1/workflows/{RatifyClient.Segment(id)}", definition, cancellationToken: cancellationToken)
                    .ConfigureAwait(false);
            }
            catch (CliException e) when (e.ExitCode == ExitCodes.NotFound)
            {
                response = await client.SendAsync(HttpMethod.Post, "/v1/workflows", definition, cancellationToken: cancellationToken).ConfigureAwait(false);
                created = true;
            }

            return await cli.ShowAsync(result, response, w =>
                cli.Out.WriteLineAsync($"workflow {id} {(created ? "created" : "updated")}: version {Values.Text(w, "version")}")).ConfigureAwait(false);
        });
        return command;
    }

    private static Command List(CliRuntime cli)
    {
        var archived = new Option<bool>("--include-archived") { Description = "List archived workflows too" };
        var page = new PageOptions();
        var command = new Command("list", "List the tenant's workflows") { archived };
        page.AddTo(command);
        cli.SetApiAction(command, async (result, client, cancellationToken) =>
        {
            var path = RatifyClient.Path("/v1/workflows", [.. page.Query(result), ("includeArchived", result.GetValue(archived) ? "true" : null)]);
            var response = await client.SendAsync(HttpMethod.Get, path, cancellationToken: cancellationToken).ConfigureAwait(false);
            return await cli.ShowAsync(result, response, async json =>
            {
                var table = new Table("ID", "VERSION", "ARCHIVED", "UPDATED", "NAME");
                foreach (var w in Values.Items(json, "workflows"))
                {
                    table.Add(Values.Text(w, "id"), Values.Text(w, "latestVersion"), Values.Text(w, "archived"), Values.Time(w, "updatedAt"), Values.Text(w, "name"));
                }

                table.WriteTo(cli.Out);
                await page.WriteNextAsync(cli, response).ConfigureAwait(false);
            }).ConfigureAwait(false);
        });
        return command;
    }

    private static Command Get(CliRuntime cli)
    {
        var id = new Argument<string>("workflow") { Description = "The workflow id" };
        var version = new Option<int?>("--version") { Description = "A version (the latest when left out)" };
        var command = new Command("get", "Show a workflow's definition") { id, version };
        cli.SetApiAction(command, async (result, client, cancellationToken) =>
        {
            var path = RatifyClient.Path($"/v1/workflows/{RatifyClient.Segment(result.GetValue(id)!)}", ("version", result.GetValue(version)?.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            var response = await client.SendAsync(HttpMethod.Get, path, cancellationToken: cancellationToken).ConfigureAwait(false);
            return await cli.ShowAsync(result, response, async w =>
            {
                var archived = Values.Text(w, "archived") == "true" ? " (archived)" : "";
                await cli.Out.WriteLineAsync($"{Values.Text(w, "id")} version {Values.Text(w, "version")} of {Values.Text(w, "latestVersion")}{archived}: {Values.Text(w, "name")}")
                    .ConfigureAwait(false);
                await cli.Out.WriteLineAsync(Values.Pretty(w["definition"])).ConfigureAwait(false);
            }).ConfigureAwait(false);
        });
        return command;
    }
}
