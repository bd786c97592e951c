using System.CommandLine;
using System.Text.Json.Nodes;
using Ratify.Cli.Api;
using Ratify.Cli.Output;

namespace Ratify.Cli.Commands;

/// <summary><c>ratify keys create|list|revoke</c>, with an admin key.</summary>
internal static class KeysCommand
{
    public static Command Create(CliRuntime cli)
    {
        var command = new Command("keys", "Manage API keys (needs the admin scope)");
        command.Add(CreateKey(cli));
        command.Add(List(cli));
        command.Add(Revoke(cli));
        return command;
    }

    private static Command CreateKey(CliRuntime cli)
    {
        var name = new Option<string>("--name") { Description = "What the key is for", Required = true };
        var scopes = new Option<string[]>("--scope") { Description = "A scope (repeatable): runs:read, runs:write, workflows:write, approvals:resolve, admin", Required = true };
        var tenant = new Option<string?>("--tenant") { Description = "Another tenant (bootstrap key only)" };
        var command = new Command("create", "Create a key; its secret is printed this once") { name, scopes, tenant };
        cli.SetApiAction(command, async (result, client, cancellationToken) =>
        {
            var body = new JsonObject
            {
                ["name"] = result.GetValue(name),
                ["scopes"] = new JsonArray([.. result.GetValue(scopes)!.Select(s => (JsonNode?)s)]),
            };
            if (result.GetValue(tenant) is { } tenantId)
            {
                body["tenantId"] = tenantId;
            }

            var response = await client.SendAsync(HttpMethod.Post, "/v1/keys", body, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (cli.Json(result))
            {
                await cli.WriteJsonAsync(response).ConfigureAwait(false);
                return ExitCodes.Ok;
            }

            // The secret alone on stdout, so that `KEY=$(ratify keys create …)` captures exactly it.
            var key = response.Json;
            await cli.Out.WriteLineAsync(Values.Text(key, "secret")).ConfigureAwait(false);
            await cli.Error.WriteLineAsync($"created key {Values.Text(key, "id")} ({Values.Text(key, "name")}) in tenant {Values.Text(key, "tenantId")}; the secret above is not shown again")
                .ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command List(CliRuntime cli)
    {
        var tenant = new Option<string?>("--tenant") { Description = "Another tenant (bootstrap key only)" };
        var command = new Command("list", "List the tenant's keys (never their secrets)") { tenant };
        cli.SetApiAction(command, async (result, client, cancellationToken) =>
        {
            var response = await client.SendAsync(HttpMethod.Get, RatifyClient.Path("/v1/keys", ("tenantId", result.GetValue(tenant))), cancellationToken: cancellationToken)
                .ConfigureAwait(false);
            return await cli.ShowAsync(result, response, json =>
            {
                var table = new Table("ID", "PREFIX", "SCOPES", "CREATED", "REVOKED", "NAME");
                foreach (var k in Values.Items(json, "items"))
                {
                    table.Add(Values.Text(k, "id"), Values.Text(k, "prefix"), string.Join(',', Values.Items(k, "scopes").Select(Values.Text)), Values.Time(k, "createdAt"),
                        Values.Time(k, "revokedAt"), Values.Text(k, "name"));
                }

                table.WriteTo(cli.Out);
                return Task.CompletedTask;
            }).ConfigureAwait(false);
        });
        return command;
    }

    private static Command Revoke(CliRuntime cli)
    {
        var id = new Argument<string>("key") { Description = "The key id" };
        var tenant = new Option<string?>("--tenant") { Description = "Another tenant (bootstrap key only)" };
        var command = new Command("revoke", "Revoke a key; it stops authenticating") { id, tenant };
        cli.SetApiAction(command, async (result, client, cancellationToken) =>
        {
            var keyId = result.GetValue(id)!;
            var response = await client.SendAsync(HttpMethod.Delete, RatifyClient.Path($"/v1/keys/{RatifyClient.Segment(keyId)}", ("tenantId", result.GetValue(tenant))),
                cancellationToken: cancellationToken).ConfigureAwait(false);
            return await cli.ShowAsync(result, response, _ => cli.Out.WriteLineAsync($"revoked key {keyId}")).ConfigureAwait(false);
        });
        return command;
    }
}
