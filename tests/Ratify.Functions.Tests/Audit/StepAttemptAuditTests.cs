using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Ratify.Functions.Tests.Orchestration;
using Ratify.Testing;

namespace Ratify.Functions.Tests.Audit;

/// <summary>The records step attempts leave in a run's chain, read through the audit API, exports and replays.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class StepAttemptAuditTests(AzuriteFixture azurite) : AuditApiTestBase(azurite)
{
    private const string TransformWorkflow = """
        {"id": "plain", "name": "Plain",
         "inputSchema": {"type": "object", "properties": {"n": {"type": "number"}}},
         "steps": [
           {"id": "load", "type": "transform", "with": {"n": "{{input.n}}"}},
           {"id": "score", "type": "transform", "dependsOn": ["load"], "with": {"value": "{{steps.load.output.n * 10}}"}},
           {"id": "never", "type": "transform", "dependsOn": ["load"], "if": "{{steps.load.output.n > 100}}", "with": {"x": 1}},
           {"id": "send", "type": "transform", "dependsOn": ["score"], "with": {"sent": "{{steps.score.output.value}}"}}
         ]}
        """;

    [Fact]
    public async Task A_transform_run_records_each_attempt_once_with_when_it_started_and_how_it_ended()
    {
        using var admin = Admin();
        await CreateWorkflowAsync(admin, TransformWorkflow);
        var runId = await StartRunAsync(admin, "plain", JsonNode.Parse("""{"n": 2}"""));
        await WaitForStatusAsync(admin, runId, "completed");
        await WaitForListingAsync(admin, "?status=completed", 1);

        var records = await RecordsAsync(admin, runId);
        AssertOneRecordPerAttempt(records, ("load", "step.attempt.completed"), ("score", "step.attempt.completed"), ("never", "step.skipped"), ("send", "step.attempt.completed"));
        Assert.Equal(["run.started", "run.finished"], records.Where(r => r!["data"]?["stepId"] is null).Select(Type));

        // The export carries the same records and verifies.
        using var exported = await admin.GetAsync($"/v1/runs/{runId}/export", Timeout);
        Assert.Equal(HttpStatusCode.OK, exported.StatusCode);
        var package = await exported.Content.ReadAsStringAsync(Timeout);
        Assert.Equal(records.Count, JsonNode.Parse(package)!["records"]!.AsArray().Count);
        using var verified = await PostJsonAsync(admin, "/v1/audit/verify", package);
        var result = JsonNode.Parse(await verified.Content.ReadAsStringAsync(Timeout))!;
        Assert.True(result["valid"]!.GetValue<bool>(), result.ToJsonString());
    }

    [Fact]
    public async Task A_connector_step_records_its_start_before_the_connector_is_called()
    {
        using var admin = Admin();
        await CreateWorkflowAsync(admin, """
            {"id": "calls", "name": "Calls", "steps": [{"id": "call", "connector": "scripted", "with": {"note": "hi"}}]}
            """);
        var runId = await StartRunAsync(admin, "calls", null);
        await WaitForStatusAsync(admin, runId, "completed");
        await WaitForListingAsync(admin, "?status=completed", 1);

        var records = (await RecordsAsync(admin, runId)).Where(r => r!["data"]?["stepId"]?.GetValue<string>() == "call").ToList();
        Assert.Equal(["step.attempt.started", "artifact.written", "step.attempt.completed"], records.Select(Type));
        var call = Assert.Single(ScriptedConnector.Spans[$"{runId}:call"]);
        Assert.True(Time(records[0]!) <= call.Start, "the started record is written before the connector is called");
        Assert.Null(records[2]!["data"]!["startedAt"]);
        Assert.True((await VerifyStoredAsync(admin, runId))["valid"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_replayed_run_records_the_attempts_it_executes_once_each_in_its_own_verified_chain()
    {
        using var admin = Admin();
        await CreateWorkflowAsync(admin, TransformWorkflow);
        var original = await StartRunAsync(admin, "plain", JsonNode.Parse("""{"n": 2}"""));
        await WaitForStatusAsync(admin, original, "completed");

        using var response = await PostJsonAsync(admin, $"/v1/runs/{original}/replay", """{"fromStep": "score"}""");
        var text = await response.Content.ReadAsStringAsync(Timeout);
        Assert.True(response.IsSuccessStatusCode, text);
        var replayId = JsonNode.Parse(text)!["runId"]!.GetValue<string>();
        var replayed = await WaitForStatusAsync(admin, replayId, "completed");
        Assert.Equal(20, Step(replayed, "send")["output"]!["sent"]!.GetValue<int>());
        await WaitForListingAsync(admin, "?status=completed", 2);

        // Reused steps (load, and never, which depends on load only) ran in the original run and have no attempt here; the
        // steps run again have one record per attempt.
        var records = await RecordsAsync(admin, replayId);
        AssertOneRecordPerAttempt(records, ("score", "step.attempt.completed"), ("send", "step.attempt.completed"));
        Assert.Equal("run.started", Type(records[0]));
        Assert.True((await VerifyStoredAsync(admin, replayId))["valid"]!.GetValue<bool>());
    }

    private static void AssertOneRecordPerAttempt(JsonArray records, params (string StepId, string Type)[] expected)
    {
        var steps = records.Where(r => r!["data"]?["stepId"] is not null).ToList();
        Assert.Equal(expected.OrderBy(e => e.StepId, StringComparer.Ordinal),
            steps.Select(r => (r!["data"]!["stepId"]!.GetValue<string>(), Type(r))).OrderBy(e => e.Item1, StringComparer.Ordinal));
        Assert.All(steps, r =>
        {
            var startedAt = DateTimeOffset.Parse(r!["data"]!["startedAt"]!.GetValue<string>(), CultureInfo.InvariantCulture);
            Assert.InRange(startedAt, Time(records[0]!), Time(r));
            Assert.Equal(1, r["data"]!["attempt"]!.GetValue<int>());
        });
    }

    private static string Type(JsonNode? record) => record!["type"]!.GetValue<string>();

    private static DateTimeOffset Time(JsonNode record) => DateTimeOffset.Parse(record["time"]!.GetValue<string>(), CultureInfo.InvariantCulture);
}
