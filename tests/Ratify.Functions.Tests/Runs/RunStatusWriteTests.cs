using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Logging.Abstractions;
using Ratify.Functions.Events;
using Ratify.Functions.Runs;
using Ratify.Functions.Storage;
using Ratify.Testing;

namespace Ratify.Functions.Tests.Runs;

/// <summary>
/// A run's status changes: the end of a run whose row is as its start left it is written without reading the row, and whatever
/// changed the row since (a cancel, a pause, a repeated end) is decided on a fresh read, with the same rules as before.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class RunStatusWriteTests(AzuriteFixture azurite) : IDisposable
{
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromSeconds(30));
    private readonly StorageRequestLog _requests = new();
    private readonly string _hub = TestNames.NewHub();

    private CancellationToken Timeout => _timeout.Token;

    public void Dispose() => _timeout.Dispose();

    [Fact(Timeout = 30_000)]
    public async Task The_end_of_a_run_whose_row_is_as_its_start_left_it_is_one_write_and_one_event()
    {
        var (runs, log) = Stores();
        var run = NewRun();
        var known = await runs.TryCreateAsync(run, Timeout, ["a"]);
        Assert.NotNull(known);
        Assert.Equal(RunStatuses.Running, known.Status);

        _requests.Clear();
        var ended = await runs.UpdateStatusAsync("default", run.RunId, RunStatuses.Completed, DateTimeOffset.UtcNow, null, cancellationToken: Timeout, known: known);

        Assert.NotNull(ended);
        Assert.Equal(0, _requests.Count("GET", _hub, "Runs"));
        Assert.Equal(1, _requests.Requests.Count(r => r.Contains("/" + _hub + "Runs(", StringComparison.Ordinal)));
        Assert.Equal(RunStatuses.Completed, (await runs.GetAsync("default", run.RunId, Timeout))!.Status);
        Assert.Equal(["run.started", "run.completed"], await TypesAsync(log, run.RunId));
    }

    [Fact(Timeout = 30_000)]
    public async Task A_run_cancelled_after_its_start_stays_cancelled_when_its_orchestration_ends_later()
    {
        var (runs, log) = Stores();
        var run = NewRun();
        var known = await runs.TryCreateAsync(run, Timeout, ["a"]);
        await runs.UpdateStatusAsync("default", run.RunId, RunStatuses.Cancelled, DateTimeOffset.UtcNow, new RunError("cancelled", "stop"), cancellationToken: Timeout);

        var ended = await runs.UpdateStatusAsync("default", run.RunId, RunStatuses.Completed, DateTimeOffset.UtcNow, null, cancellationToken: Timeout, known: known);

        Assert.Null(ended);
        var stored = (await runs.GetAsync("default", run.RunId, Timeout))!;
        Assert.Equal((RunStatuses.Cancelled, "cancelled"), (stored.Status, stored.Error?.Code));
        Assert.Equal(["run.started", "run.cancelled"], await TypesAsync(log, run.RunId));
    }

    [Fact(Timeout = 30_000)]
    public async Task A_run_paused_after_its_start_still_records_its_end_read_fresh()
    {
        var (runs, log) = Stores();
        var run = NewRun();
        var known = await runs.TryCreateAsync(run, Timeout, ["a"]);
        await runs.UpdateStatusAsync("default", run.RunId, RunStatuses.Paused, null, null, cancellationToken: Timeout);

        _requests.Clear();
        var ended = await runs.UpdateStatusAsync(
            "default", run.RunId, RunStatuses.Failed, DateTimeOffset.UtcNow, new RunError("step_failed", "no"), cancellationToken: Timeout, known: known);

        Assert.NotNull(ended);
        Assert.Equal(1, _requests.Count("GET", _hub, "Runs"));
        Assert.Equal(RunStatuses.Failed, (await runs.GetAsync("default", run.RunId, Timeout))!.Status);
        Assert.Equal(["run.started", "run.paused", "run.failed"], await TypesAsync(log, run.RunId));
    }

    [Fact(Timeout = 30_000)]
    public async Task An_end_written_twice_with_the_same_known_row_publishes_one_event()
    {
        var (runs, log) = Stores();
        var run = NewRun();
        var known = await runs.TryCreateAsync(run, Timeout, ["a"]);

        await runs.UpdateStatusAsync("default", run.RunId, RunStatuses.Completed, DateTimeOffset.UtcNow, null, cancellationToken: Timeout, known: known);
        await runs.UpdateStatusAsync("default", run.RunId, RunStatuses.Completed, DateTimeOffset.UtcNow, null, cancellationToken: Timeout, known: known);

        Assert.Equal(["run.started", "run.completed"], await TypesAsync(log, run.RunId));
    }

    [Fact(Timeout = 30_000)]
    public async Task A_retry_reopens_a_finished_run_and_its_second_end_is_written_without_a_read()
    {
        var (runs, log) = Stores();
        var run = NewRun();
        var known = await runs.TryCreateAsync(run, Timeout, ["a"]);
        await runs.UpdateStatusAsync("default", run.RunId, RunStatuses.Failed, DateTimeOffset.UtcNow, new RunError("step_failed", "no"), cancellationToken: Timeout, known: known);

        var reopened = await runs.UpdateStatusAsync("default", run.RunId, RunStatuses.Running, null, null, reopen: true, Timeout);
        Assert.Equal(RunStatuses.Running, reopened?.Status);
        _requests.Clear();
        await runs.UpdateStatusAsync("default", run.RunId, RunStatuses.Completed, DateTimeOffset.UtcNow, null, cancellationToken: Timeout, known: reopened);

        Assert.Equal(0, _requests.Count("GET", _hub, "Runs"));
        var stored = (await runs.GetAsync("default", run.RunId, Timeout))!;
        Assert.Equal((RunStatuses.Completed, (RunError?)null), (stored.Status, stored.Error));
        Assert.Equal(["run.started", "run.failed", "run.started", "run.completed"], await TypesAsync(log, run.RunId));
    }

    [Theory]
    [InlineData("running", "completed", false, true)]
    [InlineData("paused", "failed", false, true)]
    [InlineData("completed", "running", false, false)]
    [InlineData("failed", "waiting_approval", false, false)]
    [InlineData("cancelled", "completed", false, false)]
    [InlineData("cancelled", "failed", false, false)]
    [InlineData("cancelled", "cancelled", false, true)]
    [InlineData("failed", "completed", false, true)]
    [InlineData("cancelled", "running", true, true)]
    public void MayChange_FromTo_FollowsTheRules(string before, string status, bool reopen, bool allowed) =>
        Assert.Equal(allowed, RunStore.MayChange(before, status, reopen, onlyFrom: null));

    [Fact]
    public void MayChange_OnlyFromOthers_LeavesTheRowAlone() =>
        Assert.False(RunStore.MayChange(RunStatuses.Paused, RunStatuses.Running, reopen: false, onlyFrom: [RunStatuses.Running, RunStatuses.WaitingApproval]));

    private (RunStore Runs, RunEventLog Log) Stores()
    {
        var options = new TableClientOptions();
        options.AddPolicy(_requests, HttpPipelinePosition.PerCall);
        var tables = new AppTables(new TableServiceClient(azurite.ConnectionString, options), _hub);
        var blobs = new AppBlobs(new BlobServiceClient(azurite.ConnectionString), _hub);
        var log = new RunEventLog(tables, new RunEventSignal(), TimeProvider.System, NullLogger<RunEventLog>.Instance);
        return (new RunStore(tables, blobs, new RunEventPublisher(log)), log);
    }

    private static RunRecord NewRun()
    {
        var now = DateTimeOffset.UtcNow;
        return new RunRecord(RunIds.New(now), "default", "wf", 1, RunStatuses.Running, null, now, null, null, null, "key_test");
    }

    private async Task<string[]> TypesAsync(RunEventLog log, string runId) =>
        [.. (await log.ReadRunAsync("default", runId, 0, Timeout)).Select(e => e.Type)];
}
