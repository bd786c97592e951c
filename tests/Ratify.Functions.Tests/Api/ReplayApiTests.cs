using System.Net;
using System.Text.Json.Nodes;
using Ratify.Functions.Tests.Http;
using Ratify.Testing;

namespace Ratify.Functions.Tests.Api;

[Collection(AzuriteCollection.Name)]
public sealed class ReplayApiTests(AzuriteFixture azurite) : RunsApiTestBase(azurite)
{
    /// <summary>load -> score -> send (irreversible), and audit beside them (depends on load only).</summary>
    private const string ChainWorkflow = """
        {"id": "chain", "name": "Chain",
         "inputSchema": {"type": "object", "required": ["amount"], "properties": {"amount": {"type": "number"}}},
         "steps": [
           {"id": "load", "type": "transform", "with": {"amount": "{{input.amount}}"}},
           {"id": "score", "type": "transform", "dependsOn": ["load"], "with": {"value": "{{steps.load.output.amount * 10}}"}},
           {"id": "send", "type": "transform", "dependsOn": ["score"], "sideEffect": "irreversible", "with": {"sent": "{{steps.score.output.value}}"}},
           {"id": "audit", "type": "transform", "dependsOn": ["load"], "sideEffect": "idempotent", "with": {"seen": "{{steps.load.output.amount}}"}}
         ]}
        """;

    [Fact]
    public async Task A_dry_run_plans_the_replay_with_side_effects_and_starts_nothing()
    {
        using var admin = Admin();
        var original = await CompletedChainAsync(admin, 2);

        using var response = await PostJsonAsync(admin, $"/v1/runs/{original}/replay", """{"fromStep": "score", "dryRun": true}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var plan = JsonNode.Parse(await response.Content.ReadAsStringAsync(Timeout))!;
        var steps = plan["steps"]!.AsArray().Select(s => (s!["id"]!.GetValue<string>(), s["action"]!.GetValue<string>(), s["sideEffect"]!.GetValue<string>()));
        Assert.Equal([("load", "reuse", "read"), ("score", "run", "read"), ("send", "run", "irreversible"), ("audit", "reuse", "idempotent")], steps);
        Assert.Equal(["send"], plan["wouldRefuse"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Single((await GetJsonAsync(admin, "/v1/runs"))["runs"]!.AsArray());
    }

    [Fact]
    public async Task A_replay_that_would_repeat_a_completed_irreversible_step_is_refused_unless_allowed()
    {
        using var admin = Admin();
        var original = await CompletedChainAsync(admin, 2);

        using var refused = await PostJsonAsync(admin, $"/v1/runs/{original}/replay", """{"fromStep": "load"}""");
        var problem = await ProblemAssert.IsProblemAsync(refused, HttpStatusCode.Conflict, Timeout);
        Assert.Contains("'send'", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("rerunIrreversible", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        using var allowed = await PostJsonAsync(admin, $"/v1/runs/{original}/replay", """{"fromStep": "load", "rerunIrreversible": true}""");
        Assert.Equal(HttpStatusCode.Created, allowed.StatusCode);
        var replay = JsonNode.Parse(await allowed.Content.ReadAsStringAsync(Timeout))!["runId"]!.GetValue<string>();
        var run = await WaitForStatusAsync(admin, replay, "completed");
        Assert.All(run["steps"]!.AsArray(), s => Assert.Null(s!["reusedFrom"]));
    }

    [Fact]
    public async Task A_replay_with_new_input_reuses_the_upstream_steps_and_leaves_the_original_untouched()
    {
        using var admin = Admin();
        var original = await CompletedChainAsync(admin, 2);
        var before = await GetJsonAsync(admin, $"/v1/runs/{original}");

        // From "send": load, score and audit are reused even though the input changed; only send runs again.
        using var response = await PostJsonAsync(admin, $"/v1/runs/{original}/replay", """{"fromStep": "send", "input": {"amount": 7}, "rerunIrreversible": true}""");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(Timeout))!;
        var replay = body["runId"]!.GetValue<string>();
        Assert.Equal((original, "running"), (body["replayOf"]!.GetValue<string>(), Status(body)));
        Assert.Equal($"/v1/runs/{replay}", response.Headers.Location?.OriginalString);

        var run = await WaitForStatusAsync(admin, replay, "completed");
        Assert.Equal(original, run["replayOf"]!.GetValue<string>());
        Assert.Equal(7, run["input"]!["amount"]!.GetValue<int>());
        Assert.Equal(original, Step(run, "load")["reusedFrom"]!.GetValue<string>());
        Assert.Equal(original, Step(run, "audit")["reusedFrom"]!.GetValue<string>());
        Assert.Null(Step(run, "send")["reusedFrom"]);
        Assert.Equal(2, Step(run, "load")["output"]!["amount"]!.GetValue<int>());
        Assert.Equal(20, Step(run, "send")["output"]!["sent"]!.GetValue<int>());
        Assert.Equal(before.ToJsonString(), (await GetJsonAsync(admin, $"/v1/runs/{original}")).ToJsonString());
    }

    [Fact]
    public async Task A_replay_from_an_unknown_step_is_422_with_an_invalid_input_400_and_of_a_live_run_409()
    {
        using var admin = Admin();
        var original = await CompletedChainAsync(admin, 2);
        await CreateWorkflowAsync(admin, SlowWorkflow);
        var live = await StartRunAsync(admin, "slow", null);

        using var unknown = await PostJsonAsync(admin, $"/v1/runs/{original}/replay", """{"fromStep": "nope"}""");
        using var missing = await PostJsonAsync(admin, $"/v1/runs/{original}/replay", """{"dryRun": true}""");
        using var badInput = await PostJsonAsync(admin, $"/v1/runs/{original}/replay", """{"fromStep": "score", "input": {"amount": "x"}}""");
        using var running = await PostJsonAsync(admin, $"/v1/runs/{live}/replay", """{"fromStep": "last"}""");

        Assert.Equal(["/fromStep"], await ProblemPointersAsync(unknown, HttpStatusCode.UnprocessableEntity, Timeout));
        Assert.Equal(["/fromStep"], await ProblemPointersAsync(missing, HttpStatusCode.UnprocessableEntity, Timeout));
        Assert.Equal(["/input/amount"], await ProblemPointersAsync(badInput, HttpStatusCode.BadRequest, Timeout));
        var problem = await ProblemAssert.IsProblemAsync(running, HttpStatusCode.Conflict, Timeout);
        Assert.Contains("only finished runs can be replayed", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private async Task<string> CompletedChainAsync(HttpClient admin, int amount)
    {
        await CreateWorkflowAsync(admin, ChainWorkflow);
        var runId = await StartRunAsync(admin, "chain", new JsonObject { ["amount"] = amount });
        await WaitForStatusAsync(admin, runId, "completed");

        // Settled: the row records its end (after the audit chain is sealed), so that later reads of the run do not change.
        var delay = TimeSpan.FromMilliseconds(20);
        while (!(await GetJsonAsync(admin, "/v1/runs?status=completed"))["runs"]!.AsArray().Any(r => r!["runId"]!.GetValue<string>() == runId))
        {
            await Task.Delay(delay, Timeout);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 200));
        }

        return runId;
    }
}
