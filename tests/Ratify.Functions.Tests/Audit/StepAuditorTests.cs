using System.Globalization;
using System.Text.Json.Nodes;
using Ratify.Functions.Audit;
using Ratify.Functions.Orchestration;
using Ratify.Functions.Runs;
using Ratify.Testing;

namespace Ratify.Functions.Tests.Audit;

/// <summary>What a step attempt writes to its run's chain, straight through <see cref="StepAuditor"/> on Azurite.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class StepAuditorTests(AzuriteFixture azurite) : IDisposable
{
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromSeconds(30));
    private readonly AuditTestStore _store = new(azurite, checkpointEvery: 10);

    [Fact]
    public async Task An_attempt_without_effects_writes_one_record_that_says_when_it_started_and_how_it_ended()
    {
        using var signer = _store.Signer();
        var auditor = new StepAuditor(_store.Trail(signer), TimeProvider.System);
        var step = Attempt("one", "a", 1);

        auditor.BeginAttempt(step);
        await auditor.AttemptEndedAsync(step, StepOutcome.Completed);
        var skipped = Attempt("one", "b", 1);
        auditor.BeginAttempt(skipped);
        await auditor.AttemptEndedAsync(skipped, StepOutcome.Skipped);

        var records = await ReadAsync("one");
        Assert.Equal(["step.attempt.completed", "step.skipped"], records.Select(r => r.Type));
        Assert.All(records, r => Assert.True(
            DateTimeOffset.Parse(r.Data!["startedAt"]!.GetValue<string>(), CultureInfo.InvariantCulture) <= DateTimeOffset.Parse(r.Time, CultureInfo.InvariantCulture)));
        Assert.Equal("condition_false", records[1].Data!["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_attempt_that_acts_outside_its_activity_writes_started_once_before_its_effects_and_its_end()
    {
        using var signer = _store.Signer();
        var auditor = new StepAuditor(_store.Trail(signer), TimeProvider.System);
        var step = Attempt("two", "call", 1);

        auditor.BeginAttempt(step);
        await auditor.AttemptStartedAsync(step);
        await auditor.AttemptStartedAsync(step);
        await auditor.ArtifactWrittenAsync(step, new ArtifactInfo("call", "note", "text", "text/plain", 6, new string('a', 64), DateTimeOffset.UtcNow));
        await auditor.AttemptEndedAsync(step, StepOutcome.Completed);

        var records = await ReadAsync("two");
        Assert.Equal(["step.attempt.started", "artifact.written", "step.attempt.completed"], records.Select(r => r.Type));
        Assert.Null(records[2].Data!["startedAt"]);
    }

    [Fact]
    public async Task An_artifact_of_an_attempt_without_a_connector_comes_after_its_started_record()
    {
        using var signer = _store.Signer();
        var auditor = new StepAuditor(_store.Trail(signer), TimeProvider.System);
        var step = Attempt("three", "report", 1);

        auditor.BeginAttempt(step);
        await auditor.ArtifactWrittenAsync(step, new ArtifactInfo("report", "draft", "markdown", "text/markdown", 3, new string('b', 64), DateTimeOffset.UtcNow));
        await auditor.AttemptEndedAsync(step, StepOutcome.Completed);

        Assert.Equal(["step.attempt.started", "artifact.written", "step.attempt.completed"], (await ReadAsync("three")).Select(r => r.Type));
    }

    [Fact]
    public async Task An_attempt_executed_again_by_the_runtime_appends_nothing_new_whichever_shape_its_first_execution_wrote()
    {
        using var signer = _store.Signer();
        var first = new StepAuditor(_store.Trail(signer), TimeProvider.System);
        var second = new StepAuditor(_store.Trail(signer), TimeProvider.System);

        // Each execution gets its own copy of the input, as the runtime deserialises it once per delivery; two hosts at once.
        await Task.WhenAll(new[] { first, second, first }.Select(async auditor =>
        {
            var step = Attempt("four", "a", 1);
            auditor.BeginAttempt(step);
            await auditor.AttemptEndedAsync(step, StepOutcome.Completed);
        }));

        // A first execution that wrote started (it called out), then one that ended without calling out.
        var calling = Attempt("four", "b", 1);
        first.BeginAttempt(calling);
        await first.AttemptStartedAsync(calling);
        var again = Attempt("four", "b", 1);
        second.BeginAttempt(again);
        await second.AttemptStartedAsync(again);
        await second.AttemptEndedAsync(again, StepOutcome.Completed);
        await first.AttemptEndedAsync(calling, StepOutcome.Completed);

        var records = await ReadAsync("four");
        Assert.Equal(["step.attempt.completed", "step.attempt.started", "step.attempt.completed"], records.Select(r => r.Type));
        Assert.Equal(["a", "b", "b"], records.Select(r => r.Data!["stepId"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_chain_holding_records_of_both_shapes_verifies_and_reads_as_the_attempts_that_ran()
    {
        using var signer = _store.Signer();
        var trail = _store.Trail(signer);
        var auditor = new StepAuditor(trail, TimeProvider.System);
        var scope = AuditScopes.Run("default", "five");

        // What earlier versions wrote for every attempt: started, then its end, in two appends.
        await trail.StartChainAsync(scope, AuditTypes.RunStarted, AuditActor.Key("k1"), new JsonObject(), "run/started", _timeout.Token);
        var old = new JsonObject { ["stepId"] = "a", ["attempt"] = 1, ["executionId"] = "e1" };
        await trail.AppendAsync(scope, AuditTypes.StepAttemptStarted, AuditActor.System, old, "step/e1/a/1/started", _timeout.Token);
        await trail.AppendAsync(scope, AuditTypes.StepAttemptCompleted, AuditActor.System, old, "step/e1/a/1/ended", _timeout.Token);

        // What this version writes for an attempt without effects, and for a retried one.
        foreach (var attempt in new[] { 1, 2 })
        {
            var step = Attempt("five", "b", attempt);
            auditor.BeginAttempt(step);
            await auditor.AttemptEndedAsync(step, attempt == 1 ? StepOutcome.Failed("expression_error", "no such value", retryable: true) : StepOutcome.Completed);
        }

        await trail.AppendAndSealAsync(scope, AuditTypes.RunFinished, AuditActor.System, new JsonObject { ["status"] = "completed" }, "run/finished", _timeout.Token);

        var reader = _store.Reader();
        var result = await new AuditVerifier(signer.PublicKeyPem).VerifyAsync(scope, reader.StreamAsync(scope, 0, _timeout.Token),
            await reader.CheckpointsAsync(scope, _timeout.Token), requireSealed: true, _timeout.Token);
        Assert.True(result.Valid, result.Message);

        var steps = await RecordedProgress.FoldAsync(reader.StreamAsync(scope, 0, _timeout.Token), _timeout.Token);
        var records = await ReadAsync("five");
        Assert.Equal((StepStatuses.Completed, 1), (steps["a"].Status, steps["a"].Attempts));
        Assert.Equal(DateTimeOffset.Parse(records[1].Time, CultureInfo.InvariantCulture), steps["a"].StartedAt);
        Assert.Equal((StepStatuses.Completed, 2), (steps["b"].Status, steps["b"].Attempts));
        Assert.Equal(DateTimeOffset.Parse(records[3].Data!["startedAt"]!.GetValue<string>(), CultureInfo.InvariantCulture), steps["b"].StartedAt);
        Assert.Equal(DateTimeOffset.Parse(records[4].Time, CultureInfo.InvariantCulture), steps["b"].CompletedAt);
    }

    public void Dispose()
    {
        _store.Dispose();
        _timeout.Dispose();
    }

    private static StepExecution Attempt(string runId, string stepId, int attempt) =>
        new(runId, "default", "wf", 1, DateTimeOffset.UnixEpoch, stepId, attempt, DateTimeOffset.UnixEpoch.AddMinutes(attempt), "e1");

    private async Task<IReadOnlyList<AuditRecord>> ReadAsync(string runId) =>
        await _store.Reader().ReadAsync(AuditScopes.Run("default", runId), 0, 100, _timeout.Token);
}
