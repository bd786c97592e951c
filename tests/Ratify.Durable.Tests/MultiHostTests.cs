using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.DurableTask.Client;
using DurableTask.Core.History;
using Microsoft.DurableTask.Worker;
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

    private static async Task UntilAsync(Func<bool> condition, string what, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting for {what}.");
            await Task.Delay(20);
        }
    }
}
