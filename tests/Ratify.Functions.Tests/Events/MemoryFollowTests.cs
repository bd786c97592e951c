using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Ratify.Functions.Events;
using Ratify.Functions.Runs;
using Ratify.Functions.Storage;
using Ratify.Functions.Tests.Http;
using Ratify.Testing;

namespace Ratify.Functions.Tests.Events;

/// <summary>
/// Followers on the host that commits a run's events take them from memory; they read storage for what memory lacks.
/// The poll interval is long here, so every storage read counted is one the memory path chose to make.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class MemoryFollowTests(AzuriteFixture azurite)
    : ApiTestBase(azurite, new Dictionary<string, string?> { ["Ratify:Stream:PollInterval"] = "00:10:00", ["Ratify:Stream:WaitPollInterval"] = "00:10:00" })
{
    [Fact(Timeout = 30_000)]
    public async Task A_caught_up_run_follower_takes_this_hosts_events_from_memory_without_reading_storage()
    {
        var log = Api.Services.GetRequiredService<RunEventLog>();
        var follower = Api.Services.GetRequiredService<RunEventFollower>();
        var runId = RunIds.New(DateTimeOffset.UtcNow);
        await log.AppendOrThrowAsync("default", runId, "run.started", [], Timeout);

        var received = new List<RunEvent>();
        var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var readsBefore = follower.StorageReads;
        var following = follower.FollowAsync("default", runId, 0, e =>
        {
            received.Add(e);
            first.TrySetResult();
            return Task.CompletedTask;
        }, () => Task.CompletedTask, Timeout);
        await first.Task.WaitAsync(Timeout);
        Assert.Equal(readsBefore + 1, follower.StorageReads); // the first page comes from storage

        for (var i = 0; i < 5; i++)
        {
            await log.AppendOrThrowAsync("default", runId, "step.started", new JsonObject { ["i"] = i }, Timeout);
        }

        await log.AppendOrThrowAsync("default", runId, "run.completed", [], Timeout);
        await following.WaitAsync(Timeout);

        Assert.Equal(readsBefore + 1, follower.StorageReads);
        Assert.Equal(Enumerable.Range(1, 7).Select(i => (long)i), received.Select(e => e.Seq));
        Assert.Equal(Enumerable.Range(0, 5), received.Skip(1).Take(5).Select(e => e.Data["i"]!.GetValue<int>()));
    }

    [Fact(Timeout = 30_000)]
    public async Task A_follower_reads_storage_for_an_event_another_host_wrote_between_this_hosts_and_misses_nothing()
    {
        var log = Api.Services.GetRequiredService<RunEventLog>();
        var otherHost = new RunEventLog(Api.Services.GetRequiredService<AppTables>(), new RunEventSignal(), TimeProvider.System, NullLogger<RunEventLog>.Instance);
        var runFollower = Api.Services.GetRequiredService<RunEventFollower>();
        var tenantFollower = Api.Services.GetRequiredService<TenantEventFollower>();
        var runId = RunIds.New(DateTimeOffset.UtcNow);
        await log.AppendOrThrowAsync("gaps", runId, "run.started", [], Timeout);

        var run = new List<RunEvent>();
        var feed = new List<RunEvent>();
        var caughtUp = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stopFeed = CancellationTokenSource.CreateLinkedTokenSource(Timeout);
        var followingRun = runFollower.FollowAsync("gaps", runId, 0, e =>
        {
            run.Add(e);
            return Task.CompletedTask;
        }, () => Task.CompletedTask, Timeout);
        var followingFeed = tenantFollower.FollowAsync("gaps", 0, async e =>
        {
            feed.Add(e);
            caughtUp.TrySetResult();
            if (RunEventTypes.IsFinal(e.Type))
            {
                await stopFeed.CancelAsync();
            }
        }, () => Task.CompletedTask, stopFeed.Token);
        await caughtUp.Task.WaitAsync(Timeout);

        // Seq 2 is written by the other host, which wakes no one here; seq 3 by this host, whose wake finds the gap.
        await otherHost.AppendOrThrowAsync("gaps", runId, "step.started", [], Timeout);
        await log.AppendOrThrowAsync("gaps", runId, "step.completed", [], Timeout);
        await log.AppendOrThrowAsync("gaps", runId, "run.completed", [], Timeout);
        await followingRun.WaitAsync(Timeout);
        try
        {
            await followingFeed.WaitAsync(Timeout);
        }
        catch (OperationCanceledException) when (stopFeed.IsCancellationRequested && !Timeout.IsCancellationRequested)
        {
            // Stopped at the final event.
        }

        Assert.Equal(["run.started", "step.started", "step.completed", "run.completed"], run.Select(e => e.Type));
        Assert.Equal([1L, 2L, 3L, 4L], run.Select(e => e.Seq));
        Assert.Equal([1L, 2L, 3L, 4L], feed.Select(e => e.Cursor));
    }

    [Fact(Timeout = 30_000)]
    public async Task A_start_that_waits_learns_the_end_from_memory_without_reading_the_runs_events()
    {
        using var admin = Api.CreateAdminClient();
        using (var created = await admin.PostAsync("/v1/workflows", Json("""
            {"id": "two", "name": "Two", "steps": [{"id": "a", "type": "transform", "with": {"v": 1}}, {"id": "b", "type": "transform", "dependsOn": ["a"], "with": {"v": 2}}]}
            """), Timeout))
        {
            Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync(Timeout));
        }

        var follower = Api.Services.GetRequiredService<RunEventFollower>();
        var readsBefore = follower.StorageReads;
        using var response = await admin.PostAsync("/v1/runs?wait=25s", Json("""{"workflowId": "two"}"""), Timeout);
        var run = JsonNode.Parse(await response.Content.ReadAsStringAsync(Timeout))!;

        Assert.Equal("completed", run["status"]!.GetValue<string>());
        Assert.Equal(readsBefore, follower.StorageReads);
    }

    private static StringContent Json(string json) => new(json, System.Text.Encoding.UTF8, "application/json");
}
