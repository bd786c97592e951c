using System.Globalization;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Ratify.Bench;

/// <summary>The API scenario's workflow shape run straight on the durable runtime (<see cref="BenchTasks.Diamond"/>), no HTTP or workflow layer.</summary>
internal static class EngineRuns
{
    /// <summary>
    /// Schedules <paramref name="count"/> instances at once and polls one instance query every
    /// <see cref="ClosedLoop.PollInterval"/>; each latency runs from its schedule call to the first query that saw it completed.
    /// </summary>
    public static async Task<RunLoad> TogetherAsync(BenchHost host, int count, CancellationToken cancellation)
    {
        var ids = Enumerable.Range(0, count).Select(_ => Guid.NewGuid().ToString("N")).ToArray();
        var begun = new long[count];
        var startCalls = new double[count];
        var first = Measure.Now();
        var schedule = Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
        {
            begun[i] = Measure.Now();
            await host.Client.ScheduleNewOrchestrationInstanceAsync(BenchTasks.Diamond, i, new StartOrchestrationOptions(ids[i]), cancellation);
            startCalls[i] = Measure.MillisecondsSince(begun[i]);
        }));
        var (seen, queries) = await HttpRequestCounter.ObserveAsync(() => WatchAsync(host, ids, schedule, cancellation));
        await schedule;
        var latencies = Enumerable.Range(0, count).Select(i => Measure.MillisecondsBetween(begun[i], seen[ids[i]])).ToArray();
        return new RunLoad(latencies, Measure.MillisecondsBetween(first, seen.Values.Max()), startCalls, queries);
    }

    /// <summary>The same batch driven like the API scenario: <paramref name="clients"/> clients, each scheduling one instance and polling it.</summary>
    public static Task<RunLoad> ClosedLoopAsync(BenchHost host, int count, int clients, CancellationToken cancellation) =>
        ClosedLoop.RunAsync(
            count,
            clients,
            (i, token) => host.Client.ScheduleNewOrchestrationInstanceAsync(BenchTasks.Diamond, i, token),
            (id, token) => HttpRequestCounter.ObserveAsync(async () =>
            {
                var instance = await host.Client.GetInstanceAsync(id, cancellation: token)
                    ?? throw new InvalidOperationException($"Instance {id} is not there.");
                return IsCompleted(instance);
            }),
            cancellation);

    /// <summary>When each instance was first seen completed, and how long each query took.</summary>
    private static async Task<(Dictionary<string, long> Seen, List<double> Queries)> WatchAsync(BenchHost host, string[] ids, Task scheduling, CancellationToken cancellation)
    {
        var wanted = ids.ToHashSet(StringComparer.Ordinal);
        var seen = new Dictionary<string, long>(StringComparer.Ordinal);
        var queries = new List<double>();
        while (seen.Count < wanted.Count)
        {
            if (scheduling.IsFaulted)
            {
                await scheduling; // a schedule call failed: that is the reason, not the instances never completing
            }

            await Task.Delay(ClosedLoop.PollInterval, cancellation);
            var read = Measure.Now();
            var instances = new List<OrchestrationMetadata>();
            await foreach (var instance in host.Client.GetAllInstancesAsync(new OrchestrationQuery { PageSize = 1000 }).WithCancellation(cancellation))
            {
                instances.Add(instance);
            }

            var now = Measure.Now();
            queries.Add(Measure.MillisecondsBetween(read, now));
            foreach (var instance in instances.Where(i => wanted.Contains(i.InstanceId) && !seen.ContainsKey(i.InstanceId)))
            {
                if (IsCompleted(instance))
                {
                    seen[instance.InstanceId] = now;
                }
            }
        }

        return (seen, queries);
    }

    private static bool IsCompleted(OrchestrationMetadata instance) => instance.RuntimeStatus switch
    {
        OrchestrationRuntimeStatus.Completed => true,
        OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated => throw new InvalidOperationException(
            string.Create(CultureInfo.InvariantCulture, $"Instance {instance.InstanceId} ended {instance.RuntimeStatus}: {instance.FailureDetails?.ErrorMessage}")),
        _ => false,
    };
}
