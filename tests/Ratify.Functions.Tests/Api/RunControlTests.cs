using System.Net;
using System.Text.Json.Nodes;
using Ratify.Functions.Tests.Http;
using Ratify.Functions.Tests.Orchestration;
using Ratify.Testing;

namespace Ratify.Functions.Tests.Api;

[Collection(AzuriteCollection.Name)]
public sealed class RunControlTests(AzuriteFixture azurite) : RunsApiTestBase(azurite)
{
    /// <summary>The middle step fails once (no retry policy), so the first run fails and a retry completes.</summary>
    private const string FlakyWorkflow = """
        {"id": "flaky", "name": "Flaky", "steps": [
           {"id": "prepare", "connector": "scripted", "with": {"n": 1}},
           {"id": "call", "connector": "scripted", "dependsOn": ["prepare"], "with": {"failTimes": 1}},
           {"id": "after", "type": "transform", "dependsOn": ["call"], "with": {"calls": "{{steps.call.output.calls}}"}}
         ]}
        """;

    [Fact]
    public async Task A_run_is_paused_resumed_and_cancelled_and_each_action_out_of_turn_is_409()
    {
        using var admin = Admin();
        await CreateWorkflowAsync(admin, SlowWorkflow);
        var runId = await StartRunAsync(admin, "slow", null);
        await WaitForStepAsync(admin, runId, "wait", "running");

        await ExpectConflictAsync(admin, runId, "resume", "only paused runs can be resumed");
        await ExpectConflictAsync(admin, runId, "retry", "only failed or cancelled runs can be retried");

        Assert.Equal("paused", await ActAsync(admin, runId, "pause"));
        Assert.Equal("paused", Status(await GetJsonAsync(admin, $"/v1/runs/{runId}")));
        Assert.Single((await GetJsonAsync(admin, "/v1/runs?status=paused"))["runs"]!.AsArray());
        await ExpectConflictAsync(admin, runId, "pause", "only running runs");

        Assert.Equal("running", await ActAsync(admin, runId, "resume"));
        Assert.Equal("running", Status(await GetJsonAsync(admin, $"/v1/runs/{runId}")));

        Assert.Equal("cancelled", await ActAsync(admin, runId, "cancel", """{"reason": "no longer needed"}"""));
        var run = await GetJsonAsync(admin, $"/v1/runs/{runId}");
        Assert.Equal("cancelled", Status(run));
        Assert.Equal(("cancelled", "no longer needed"), (run["error"]!["code"]!.GetValue<string>(), run["error"]!["message"]!.GetValue<string>()));
        Assert.Equal(("completed", "cancelled", "cancelled"), (Status(Step(run, "first")), Status(Step(run, "wait")), Status(Step(run, "last"))));
        await ExpectConflictAsync(admin, runId, "cancel", "only runs that have not finished can be cancelled");
        await ExpectConflictAsync(admin, runId, "pause", "only running runs");
    }

    [Fact]
    public async Task A_paused_run_can_be_cancelled()
    {
        using var admin = Admin();
        await CreateWorkflowAsync(admin, SlowWorkflow);
        var runId = await StartRunAsync(admin, "slow", null);
        await WaitForStepAsync(admin, runId, "wait", "running");
        Assert.Equal("paused", await ActAsync(admin, runId, "pause"));

        Assert.Equal("cancelled", await ActAsync(admin, runId, "cancel"));

        Assert.Equal("cancelled", (await GetJsonAsync(admin, "/v1/runs?status=cancelled"))["runs"]![0]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_failed_run_is_retried_from_its_failed_step_reusing_what_completed()
    {
        using var admin = Admin();
        await CreateWorkflowAsync(admin, FlakyWorkflow);
        var runId = await StartRunAsync(admin, "flaky", null);
        var failed = await WaitForStatusAsync(admin, runId, "failed");
        Assert.Equal("step_failed", failed["error"]!["code"]!.GetValue<string>());
        Assert.Equal(("completed", "failed", "cancelled"), (Status(Step(failed, "prepare")), Status(Step(failed, "call")), Status(Step(failed, "after"))));
        Assert.NotNull(Step(failed, "call")["error"]);

        Assert.Equal("running", await ActAsync(admin, runId, "retry"));
        var done = await WaitForStatusAsync(admin, runId, "completed");

        Assert.Null(done["error"]);
        Assert.NotNull(done["completedAt"]);
        Assert.Equal(1, ScriptedConnector.Calls[$"{runId}:prepare"]); // reused, not called again
        Assert.Equal(2, Step(done, "after")["output"]!["calls"]!.GetValue<int>());
        Assert.All(done["steps"]!.AsArray(), s => Assert.Equal("completed", Status(s!)));
        Assert.Equal(runId, (await WaitForListingAsync(admin, "?status=completed", 1))["runs"]![0]!["runId"]!.GetValue<string>());
        await ExpectConflictAsync(admin, runId, "retry", $"Run {runId} is completed; only failed or cancelled runs can be retried.");
    }

    [Fact]
    public async Task A_cancelled_run_is_retried_and_goes_on_from_its_cancelled_steps()
    {
        using var admin = Admin();
        await CreateWorkflowAsync(admin, SlowWorkflow);
        var runId = await StartRunAsync(admin, "slow", null);
        await WaitForStepAsync(admin, runId, "wait", "running");
        Assert.Equal("cancelled", await ActAsync(admin, runId, "cancel"));

        Assert.Equal("running", await ActAsync(admin, runId, "retry"));

        var run = await WaitForStepAsync(admin, runId, "wait", "running");
        Assert.Equal("running", Status(run));
        Assert.Null(run["error"]);
        Assert.Equal(("completed", 1), (Status(Step(run, "first")), Step(run, "first")["attempts"]!.GetValue<int>()));
        Assert.Equal("pending", Status(Step(run, "last")));
    }

    private async Task<string> ActAsync(HttpClient client, string runId, string action, string? body = null)
    {
        using var response = body is null
            ? await client.PostAsync($"/v1/runs/{runId}/{action}", null, Timeout)
            : await PostJsonAsync(client, $"/v1/runs/{runId}/{action}", body);
        var text = await response.Content.ReadAsStringAsync(Timeout);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{action}: {(int)response.StatusCode} {text}");
        var answer = JsonNode.Parse(text)!;
        Assert.Equal(runId, answer["runId"]!.GetValue<string>());
        return Status(answer);
    }

    private async Task ExpectConflictAsync(HttpClient client, string runId, string action, string because)
    {
        using var response = await client.PostAsync($"/v1/runs/{runId}/{action}", null, Timeout);
        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Conflict, Timeout);
        Assert.Contains(because, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
