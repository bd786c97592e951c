using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using DurableTask.Core.History;
using Microsoft.DurableTask.Worker;
using Ratify.Durable.Storage;
using Ratify.Testing;

namespace Ratify.Durable.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class MultiHostTests(AzuriteFixture azurite)
{
    private const int Partitions = 6;

    [Fact]
    public async Task Killing_one_of_three_hosts_mid_flight_loses_nothing_and_records_every_result_once()
    {
        var hub = TestNames.NewHub();
        var workers = Enumerable.Range(0, 3).Select(_ => WorkerProcess.Start(azurite.ConnectionString, hub, Partitions)).ToList();
        try
        {
            await UntilAsync(() => workers.All(w => w.Acquired > 0), "every host to take a partition", seconds: 60);
            var client = ClientOnly(hub);
            var ids = new List<string>();
            for (var i = 1; i <= 24; i++)
            {
                ids.Add(await client.ScheduleNewOrchestrationInstanceAsync("Pipeline", i, cancellation: TestTimeout.Token()));
            }

            // The victim is a host that is running activities right now.
            WorkerProcess? victim = null;
            await UntilAsync(() => (victim = workers.FirstOrDefault(w => w.ActivitiesInFlight > 0)) is not null, "a host to be running activities");
            var inFlightAtKill = victim!.ActivitiesInFlight;
            victim.KillHard();

            for (var i = 0; i < ids.Count; i++)
            {
                var done = await client.WaitForInstanceCompletionAsync(ids[i], true, TestTimeout.Token(120));
                Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
                Assert.Equal((i + 1) * 96, done.ReadOutputAs<int>());

                var history = await client.GetOrchestrationHistoryAsync(ids[i], TestTimeout.Token());
                var scheduled = history.OfType<TaskScheduledEvent>().Select(e => e.EventId).ToList();
                var results = history.OfType<TaskCompletedEvent>().Select(e => e.TaskScheduledId).ToList();
                Assert.Equal(7, scheduled.Count);
                Assert.Equal(scheduled.Order(), results.Order()); // each result exactly once
            }

            Assert.True(inFlightAtKill > 0);
        }
        finally
        {
            workers.ForEach(w => w.Dispose());
        }
    }

    [Fact]
    public async Task A_frozen_host_that_lost_its_partitions_stands_down_when_it_wakes_and_no_run_goes_backwards()
    {
        var hub = TestNames.NewHub();
        var workers = Enumerable.Range(0, 3).Select(_ => WorkerProcess.Start(azurite.ConnectionString, hub, Partitions)).ToList();
        try
        {
            await UntilAsync(() => workers.All(w => w.Acquired > 0), "every host to take a partition", seconds: 60);
            var client = ClientOnly(hub);
            var ids = new List<string>();
            for (var i = 0; i < 18; i++)
            {
                ids.Add(await client.ScheduleNewOrchestrationInstanceAsync("Steps", i * 100, cancellation: TestTimeout.Token()));
            }

            // Freeze a host in the middle of its activities, as a long GC pause or a stalled VM would.
            WorkerProcess? victim = null;
            await UntilAsync(() => (victim = workers.FirstOrDefault(w => w.ActivitiesInFlight > 0 && w.Partitions().Count > 0)) is not null, "a host to be running activities");
            var others = workers.Where(w => w != victim).ToList();
            var frozenAt = DateTime.UtcNow;
            victim!.Freeze();
            var lost = victim.Partitions();
            var before = others.Select(w => w.Lines.Count).ToList();
            await UntilAsync(
                () => lost.All(p => others.Select((w, i) => w.Lines.Skip(before[i])).Any(lines => lines.Contains($"acquired {p}"))),
                "the other hosts to take over the frozen host's partitions", seconds: 60);

            // Wake it while the runs it had are still going on elsewhere, and watch every run's stored state.
            var inFlightAtFreeze = victim.ActivitiesInFlight;
            var resumedAt = victim.Lines.Count;
            victim.Thaw();
            var seen = new Dictionary<string, (OrchestrationRuntimeStatus Status, int Step)>();
            await UntilAsync(async () => await NothingWentBackAsync(client, seen) && seen.Values.All(s => s.Status == OrchestrationRuntimeStatus.Completed)
                && victim.ActivitiesInFlight == 0 && lost.All(p => victim.Lines.Skip(resumedAt).Contains($"stood-down {p}")),
                "every run to complete and the woken host to stand down", seconds: 90);
            Assert.True(await NothingWentBackAsync(client, seen)); // and stays so

            // The woken host started nothing new for the partitions it lost: an activity it had already let through
            // before the freeze may still print its start after the thaw, but nothing scheduled later (until it is given
            // a partition back).
            var regained = new HashSet<int>();
            var startedAfterThaw = new List<(string Instance, int Task)>();
            foreach (var line in victim.Lines.Skip(resumedAt))
            {
                var parts = line.Split(' ');
                if (parts is ["acquired", var partition])
                {
                    regained.Add(int.Parse(partition, CultureInfo.InvariantCulture));
                }
                else if (parts is ["start", var instance, var task] && !regained.Contains(PartitionHash.PartitionOf(instance, Partitions)))
                {
                    startedAfterThaw.Add((instance, int.Parse(task, CultureInfo.InvariantCulture)));
                }
            }

            foreach (var (instance, task) in startedAfterThaw)
            {
                var history = await client.GetOrchestrationHistoryAsync(instance, TestTimeout.Token());
                var scheduled = history.OfType<TaskScheduledEvent>().Single(e => e.EventId == task);
                Assert.True(scheduled.Timestamp < frozenAt, $"The woken host started task {task} of {instance}, scheduled after the freeze, for a partition it had lost.");
            }

            // The activities in flight at the freeze ran again on the new owner; each result is recorded once.
            var starts = workers.SelectMany(w => w.Lines).Where(l => l.StartsWith("start ", StringComparison.Ordinal)).GroupBy(l => l, StringComparer.Ordinal);
            Assert.True(inFlightAtFreeze == 0 || starts.Any(g => g.Count() > 1), "No activity in flight at the freeze was executed again.");
            for (var i = 0; i < ids.Count; i++)
            {
                var done = await client.GetInstanceAsync(ids[i], getInputsAndOutputs: true, TestTimeout.Token());
                Assert.Equal(i * 100 + 6, done!.ReadOutputAs<int>());
                var history = await client.GetOrchestrationHistoryAsync(ids[i], TestTimeout.Token());
                Assert.Equal(6, history.OfType<TaskScheduledEvent>().Count());
                Assert.Equal(history.OfType<TaskScheduledEvent>().Select(e => e.EventId).Order(), history.OfType<TaskCompletedEvent>().Select(e => e.TaskScheduledId).Order());
            }
        }
        finally
        {
            workers.ForEach(w => w.Dispose());
        }
    }

    /// <summary>Reads every instance once; false when one is not finished. Fails when a stored status or step went back.</summary>
    private static async Task<bool> NothingWentBackAsync(DurableTaskClient client, Dictionary<string, (OrchestrationRuntimeStatus Status, int Step)> seen)
    {
        var allCompleted = true;
        await foreach (var instance in client.GetAllInstancesAsync(new OrchestrationQuery { PageSize = 1000 }).WithCancellation(TestTimeout.Token()))
        {
            allCompleted &= instance.RuntimeStatus == OrchestrationRuntimeStatus.Completed;
            var now = (instance.RuntimeStatus, Step: instance.SerializedCustomStatus is null ? 0 : instance.ReadCustomStatusAs<int>());
            if (seen.TryGetValue(instance.InstanceId, out var earlier))
            {
                Assert.False(earlier.Status == OrchestrationRuntimeStatus.Completed && now.RuntimeStatus != OrchestrationRuntimeStatus.Completed,
                    $"{instance.InstanceId} went back from Completed to {now.RuntimeStatus}.");
                Assert.True(now.Step >= earlier.Step, $"{instance.InstanceId} went back from step {earlier.Step} to step {now.Step}.");
            }

            seen[instance.InstanceId] = now;
        }

        return allCompleted;
    }

    private DurableTaskClient ClientOnly(string hub)
    {
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().Build())
            .AddDurableTaskClient(client => client.UseAzureStorage(o =>
            {
                o.HubName = hub;
                o.StorageConnectionString = azurite.ConnectionString;
                o.StorageProvider.PartitionCount = Partitions;
            }));
        return services.BuildServiceProvider().GetRequiredService<DurableTaskClient>();
    }

    private static Task UntilAsync(Func<bool> condition, string what, int seconds = 30) =>
        UntilAsync(() => Task.FromResult(condition()), what, seconds, pollMilliseconds: 20);

    private static async Task UntilAsync(Func<Task<bool>> condition, string what, int seconds = 30, int pollMilliseconds = 100)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting for {what}.");
            await Task.Delay(pollMilliseconds);
        }
    }
}
