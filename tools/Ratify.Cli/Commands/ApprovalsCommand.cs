using System.CommandLine;
using System.Text.Json.Nodes;
using Ratify.Cli.Api;
using Ratify.Cli.Output;

namespace Ratify.Cli.Commands;

/// <summary><c>ratify approvals list|approve|reject</c>, with a key holding <c>approvals:resolve</c>.</summary>
internal static class ApprovalsCommand
{
    public static Command Create(CliRuntime cli)
    {
        var command = new Command("approvals", "List and decide approval gates");
        command.Add(List(cli));
        command.Add(Decide(cli, "approve", "approved", "Approve a gate"));
        command.Add(Decide(cli, "reject", "rejected", "Reject a gate (the run fails unless the step continues on failure)"));
        return command;
    }

    private static Command List(CliRuntime cli)
    {
        var status = new Option<string?>("--status") { Description = "Only approvals with this status (e.g. pending)" };
        var run = new Option<string?>("--run") { Description = "Only approvals of this run" };
        var page = new PageOptions();
        var command = new Command("list", "List the approvals this key may decide, a page at a time in approval id order") { status, run };
        page.AddTo(command);
        cli.SetApiAction(command, async (result, client, cancellationToken) =>
        {
            var path = RatifyClient.Path("/v1/approvals", [("status", result.GetValue(status)), ("runId", result.GetValue(run)), .. page.Query(result)]);
            var response = await client.SendAsync(HttpMethod.Get, path, cancellationToken: cancellationToken).ConfigureAwait(false);
            return await cli.ShowAsync(result, response, async json =>
            {
                var table = new Table("APPROVAL", "STATUS", "RUN", "STEP", "CREATED", "MESSAGE");
                foreach (var a in Values.Items(json, "approvals"))
                {
                    table.Add(Values.Text(a, "approvalId"), Values.Text(a, "status"), Values.Text(a, "runId"), Values.Text(a, "stepId"), Values.Time(a, "createdAt"),
                        Values.Text(a, "message"));
                }

                table.WriteTo(cli.Out);
                await page.WriteNextAsync(cli, response).ConfigureAwait(false);
            }).ConfigureAwait(false);
        });
        return command;
    }

    private static Command Decide(CliRuntime cli, string name, string decision, string description)
    {
        var id = new Argument<string>("approval") { Description = "The approval id (apr_…)" };
        var note = new Option<string?>("--note") { Description = "Why; recorded with the decision" };
        var command = new Command(name, description) { id, note };
        cli.SetApiAction(command, async (result, client, cancellationToken) =>
        {
            var body = new JsonObject { ["decision"] = decision, ["note"] = result.GetValue(note) };
            var response = await client.SendAsync(HttpMethod.Post, $"/v1/approvals/{RatifyClient.Segment(result.GetValue(id)!)}/resolve", body,
                cancellationToken: cancellationToken).ConfigureAwait(false);
            return await cli.ShowAsync(result, response, r => cli.Out.WriteLineAsync(
                $"{Values.Text(r, "approvalId")} {Values.Text(r, "status")} (run {Values.Text(r, "runId")}, {Values.Text(r, "votes")} of {Values.Text(r, "quorum")} approvals): {Values.Text(r, "message")}"))
                .ConfigureAwait(false);
        });
        return command;
    }
}
