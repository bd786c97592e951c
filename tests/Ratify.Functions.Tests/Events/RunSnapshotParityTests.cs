using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Ratify.Functions.Events;
using Ratify.Functions.Http;
using Ratify.Functions.Security;
using Ratify.Functions.Tests.Approvals;
using Ratify.Testing;

namespace Ratify.Functions.Tests.Events;

/// <summary>
/// <c>GET /v1/runs/{id}</c> answered from the run's snapshot equals the run composed from every store it is kept in, for real runs
/// of every shape; no field differs.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class RunSnapshotParityTests(AzuriteFixture azurite) : ApprovalTestBase(azurite, timeout: TimeSpan.FromSeconds(60))
{
    /// <summary>A diamond with a step that fails twice before it succeeds (with an artifact), a large output, a false <c>if</c> and a step skipped for it.</summary>
    private const string MixedWorkflow = """
        {"id": "mixed", "name": "Mixed", "steps": [
          {"id": "fetch", "type": "transform", "with": {"amount": "{{input.amount}}"}},
          {"id": "flaky", "connector": "scripted", "dependsOn": ["fetch"], "with": {"failTimes": 2, "note": "hello"},
           "retry": {"maxAttempts": 3, "backoff": "fixed", "initialInterval": "PT0.1S"}},
          {"id": "big", "type": "transform", "dependsOn": ["fetch"], "with": {"text": "{{input.text}}"}},
          {"id": "maybe", "type": "transform", "dependsOn": ["fetch"], "if": "input.amount > 100", "with": {"n": 1}},
          {"id": "after", "type": "transform", "dependsOn": ["maybe"], "with": {"n": 2}},
          {"id": "join", "type": "transform", "dependsOn": ["flaky", "big"], "with": {"total": "{{steps.fetch.output.amount * 2}}"},
           "artifacts": [{"name": "report", "type": "markdown", "value": "# {{output.total}}"}]}
        ]}
        """;

    [Fact]
    public async Task A_finished_run_with_retries_skips_artifacts_and_a_large_output_reads_the_same_from_its_snapshot()
    {
        using var admin = Admin();
        await CreateWorkflowAsync(admin, MixedWorkflow);
        var runId = await StartRunAsync(admin, "mixed", new JsonObject { ["amount"] = 5, ["text"] = new string('x', RunEventPublisher.MaxInlineOutput + 100) });

        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var delay = TimeSpan.FromMilliseconds(10);
        JsonObject run;
        while (true)
        {
            run = await GetJsonAsync(admin, $"/v1/runs/{runId}");
            AssertNoStepGoesBack(run, seen);
            if (Status(run) == "completed")
            {
                break;
            }

            await Task.Delay(delay, Timeout);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 100));
        }

        Assert.Equal(3, Step(run, "flaky")["attempts"]!.GetValue<int>());
        Assert.Equal(("skipped", "skipped"), (Status(Step(run, "maybe")), Status(Step(run, "after"))));
        Assert.Equal(RunEventPublisher.MaxInlineOutput + 100, Step(run, "big")["output"]!["text"]!.GetValue<string>().Length);
        Assert.Single(Step(run, "join")["artifacts"]!.AsArray());
        await AssertParityAsync(admin, runId);
    }

    [Fact]
    public async Task An_approval_gated_run_reads_the_same_while_pending_and_once_approved()
    {
        var (agent, _) = await AgentAsync();
        using (agent)
        {
            using var admin = Admin();
            await CreateWorkflowAsync(admin, GateWorkflow("gated", "{}"));
            var (runId, approvalId) = await StartAtGateAsync(admin, "gated");
            await AssertParityAsync(admin, runId, running: true);

            using (var response = await ResolveAsync(agent, $"/v1/approvals/{approvalId}/resolve", "approved", "ship it"))
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }

            var run = await WaitForStatusAsync(admin, runId, "completed");
            Assert.Equal("approved", Step(run, "gate")["approval"]!["status"]!.GetValue<string>());
            await AssertParityAsync(admin, runId);
        }
    }

    [Fact]
    public async Task A_cancelled_run_and_a_replay_that_reuses_steps_read_the_same_from_their_snapshots()
    {
        using var admin = Admin();
        await CreateWorkflowAsync(admin, SlowWorkflow);
        var slow = await StartRunAsync(admin, "slow", null);
        await WaitForStepAsync(admin, slow, "wait", "running");
        using (var response = await PostJsonAsync(admin, $"/v1/runs/{slow}/cancel", "{}"))
        {
            Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}");
        }

        var cancelled = await WaitForStatusAsync(admin, slow, "cancelled");
        Assert.Equal(("cancelled", "cancelled"), (Status(Step(cancelled, "wait")), Status(Step(cancelled, "last"))));
        await AssertParityAsync(admin, slow);

        await CreateWorkflowAsync(admin, PairWorkflow);
        var original = await StartRunAsync(admin, "pair", new JsonObject { ["dealId"] = "d_1", ["amount"] = 2 });
        await WaitForStatusAsync(admin, original, "completed");
        using var replayed = await PostJsonAsync(admin, $"/v1/runs/{original}/replay", """{"fromStep": "report"}""");
        Assert.Equal(HttpStatusCode.Created, replayed.StatusCode);
        var replay = JsonNode.Parse(await replayed.Content.ReadAsStringAsync(Timeout))!["runId"]!.GetValue<string>();
        var run = await WaitForStatusAsync(admin, replay, "completed");
        Assert.Equal(original, Step(run, "fetch")["reusedFrom"]!.GetValue<string>());
        Assert.NotNull(Step(run, "fetch")["output"]);
        await AssertParityAsync(admin, replay);
    }

    [Fact]
    public async Task The_answer_carries_the_last_event_it_includes_as_seq_and_ETag_and_another_tenant_gets_404()
    {
        using var admin = Admin();
        await CreateWorkflowAsync(admin, PairWorkflow);
        var runId = await StartRunAsync(admin, "pair", new JsonObject { ["dealId"] = "d_1", ["amount"] = 2 });
        await WaitForStatusAsync(admin, runId, "completed");

        using var response = await admin.GetAsync($"/v1/runs/{runId}", Timeout);
        var run = JsonNode.Parse(await response.Content.ReadAsStringAsync(Timeout))!;
        var seq = run["seq"]!.GetValue<long>();
        Assert.Equal($"\"{seq}\"", response.Headers.ETag?.Tag);
        var events = await Services.GetRequiredService<RunEventLog>().ReadRunAsync("default", runId, 0, Timeout);
        Assert.Equal(events[^1].Seq, seq);
        Assert.Equal("run.completed", events[^1].Type);

        using var document = await admin.GetAsync("/openapi/v1.json", Timeout);
        var ok = JsonNode.Parse(await document.Content.ReadAsStringAsync(Timeout))!["paths"]!["/v1/runs/{runId}"]!["get"]!["responses"]!["200"]!;
        Assert.NotNull(ok["headers"]?["ETag"]);

        using var other = await ClientWithAsync("other", RatifyScopes.RunsRead);
        using var refused = await other.GetAsync($"/v1/runs/{runId}", Timeout);
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
    }

    /// <summary>
    /// The API's answer (from the snapshot) equals the run composed from its stores, as JSON, field for field; while the run is
    /// going (<paramref name="running"/>) except the steps' times, which come from the events until the run's end records them.
    /// </summary>
    private async Task AssertParityAsync(HttpClient client, string runId, bool running = false, string tenantId = "default")
    {
        var (seq, snapshot) = await Services.GetRequiredService<RunEventLog>().ReadHeadAsync(tenantId, runId, Timeout);
        Assert.NotNull(snapshot);
        var actual = await GetJsonAsync(client, $"/v1/runs/{runId}");

        var readers = ActivatorUtilities.CreateInstance<RunReaders>(Services);
        var caller = new CallerContext(tenantId, "test", new HashSet<string> { RatifyScopes.RunsRead }, IsBootstrap: false);
        var composed = await RunsEndpoints.ComposeRunAsync(runId, caller, readers, Timeout) with { Seq = seq };
        var options = Services.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        var expected = JsonSerializer.SerializeToNode(composed, options)!;
        if (running)
        {
            foreach (var step in expected["steps"]!.AsArray().Concat(actual["steps"]!.AsArray()))
            {
                step!.AsObject().Remove("startedAt");
                step.AsObject().Remove("completedAt");
            }
        }

        Assert.True(JsonNode.DeepEquals(expected, actual), $"composed:\n{expected.ToJsonString()}\nsnapshot:\n{actual.ToJsonString()}");
    }

    /// <summary>Fails when a step's status moves back from where an earlier read saw it (finished, then running or pending).</summary>
    private static void AssertNoStepGoesBack(JsonObject run, Dictionary<string, int> seen)
    {
        foreach (var step in run["steps"]!.AsArray())
        {
            var id = step!["id"]!.GetValue<string>();
            var rank = Status(step) switch
            {
                "pending" => 0,
                "running" or "waiting_approval" => 1,
                _ => 2,
            };
            var attempts = step["attempts"]!.GetValue<int>();
            var position = (attempts * 3) + rank;
            Assert.True(position >= seen.GetValueOrDefault(id), $"step {id} went back to {Status(step)} (attempt {attempts})");
            seen[id] = position;
        }
    }
}
