using System.Text.Json;
using Azure.Core;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging.Abstractions;
using Ratify.Functions.Events;
using Ratify.Functions.Runs;
using Ratify.Functions.Storage;
using Ratify.Functions.Tests.Runs;
using Ratify.Testing;

namespace Ratify.Functions.Tests.Events;

/// <summary>
/// The run head reads an API run no longer needs: a new run's head is added without being read first (a wrong guess is corrected
/// by the commit's conflict), and a run that ended in events this host committed is answered from the snapshot written with them.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class RunHeadReadTests(AzuriteFixture azurite) : IDisposable
{
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromSeconds(30));
    private readonly string _hub = TestNames.NewHub();

    private CancellationToken Timeout => _timeout.Token;

    public void Dispose() => _timeout.Dispose();

    [Fact(Timeout = 30_000)]
    public async Task A_new_runs_first_event_adds_its_head_without_reading_it()
    {
        var requests = new StorageRequestLog();
        var log = Log(requests);
        await log.AppendOrThrowAsync("default", NewRunId(), "run.started", [], Timeout); // the tenant's feed head is read once per writer

        var runId = NewRunId();
        requests.Clear();
        var first = await log.AppendOrThrowAsync("default", runId, "run.started", [], Timeout, firstOfRun: true);

        Assert.Equal(0, requests.Count("GET", _hub, "Events"));
        Assert.Equal(1, first.Seq);
        Assert.Equal(1, (await log.ReadHeadAsync("default", runId, Timeout)).Seq);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_first_event_whose_run_has_a_head_after_all_is_numbered_after_it()
    {
        var runId = NewRunId();
        var elsewhere = Log(new StorageRequestLog());
        await elsewhere.AppendOrThrowAsync("default", runId, "run.started", [], Timeout);

        var here = Log(new StorageRequestLog());
        var second = await here.AppendOrThrowAsync("default", runId, "step.started", [], Timeout, firstOfRun: true);

        Assert.Equal(2, second.Seq);
        Assert.Equal([1L, 2L], (await here.ReadRunAsync("default", runId, 0, Timeout)).Select(e => e.Seq));
    }

    [Fact(Timeout = 30_000)]
    public async Task A_run_that_ended_here_is_read_from_the_snapshot_written_with_its_final_event_until_it_has_a_later_one()
    {
        var log = Log(new StorageRequestLog());
        var events = new RunEventPublisher(log);
        var now = DateTimeOffset.UtcNow;
        var run = new RunRecord(RunIds.New(now), "default", "wf", 3, RunStatuses.Running, null, now, null, null, null, "key_test");
        await events.RunStatusChangedAsync(run, null, RunStatuses.Running, null, Timeout, ["a", "b"], newRun: true);
        Assert.Null(log.EndedSnapshot("default", run.RunId));

        var done = run with { Status = RunStatuses.Completed, CompletedAt = now.AddSeconds(1) };
        await events.RunStatusChangedAsync(done, RunStatuses.Running, RunStatuses.Completed, null, Timeout);

        var (seq, stored) = await log.ReadHeadAsync("default", run.RunId, Timeout);
        var ended = log.EndedSnapshot("default", run.RunId);
        Assert.NotNull(ended);
        Assert.Equal(seq, ended.Seq);
        Assert.Equal(JsonSerializer.Serialize(stored, RunSnapshotFold.Json), JsonSerializer.Serialize(ended, RunSnapshotFold.Json));
        Assert.Null(log.EndedSnapshot("other", run.RunId));

        await events.RunStatusChangedAsync(run, null, RunStatuses.Running, null, Timeout); // a retry reopens it
        Assert.Null(log.EndedSnapshot("default", run.RunId));
    }

    private RunEventLog Log(StorageRequestLog requests)
    {
        var options = new TableClientOptions();
        options.AddPolicy(requests, HttpPipelinePosition.PerCall);
        var tables = new AppTables(new TableServiceClient(azurite.ConnectionString, options), _hub);
        return new RunEventLog(tables, new RunEventSignal(), TimeProvider.System, NullLogger<RunEventLog>.Instance);
    }

    private static string NewRunId() => RunIds.New(DateTimeOffset.UtcNow);
}
