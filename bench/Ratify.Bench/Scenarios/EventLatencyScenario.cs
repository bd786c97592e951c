using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Ratify.Bench.Scenarios;

/// <summary>(d) From the raise-event call to the waiting orchestration being seen completed, one event at a time.</summary>
internal sealed class EventLatencyScenario : IScenario
{
    private const string P50Key = "event_latency_p50_ms";
    private const string P95Key = "event_latency_p95_ms";

    // Lets the episode that started waiting finish its background work (message deletes) before timing.
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan Gap = TimeSpan.FromMilliseconds(20);

    public string Name => "(d) event latency";

    public IReadOnlyList<Figure> Figures { get; } =
    [
        new(P50Key, "(d) raise event -> orchestration completed, p50", "ms", FigureTime.Milliseconds, new FigureTarget(50, AtLeast: false)),
        new(P95Key, "(d) raise event -> orchestration completed, p95", "ms", FigureTime.Milliseconds),
    ];

    public async Task<IReadOnlyDictionary<string, double>> RunOnceAsync(BenchEnvironment environment, CancellationToken cancellation)
    {
        var samples = environment.Size(full: 50, quick: 10);
        await using var host = await environment.StartHostAsync(cancellation);

        var ids = await Task.WhenAll(Enumerable.Range(0, samples)
            .Select(_ => host.Client.ScheduleNewOrchestrationInstanceAsync(BenchTasks.AwaitEvent, 0, cancellation)));
        await host.WaitForAllAsync(
            ids,
            i => i.RuntimeStatus == OrchestrationRuntimeStatus.Running && i.ReadCustomStatusAs<string>() == BenchTasks.WaitingStatus,
            cancellation);
        await Task.Delay(Settle, cancellation);

        var latencies = new List<double>(samples);
        environment.Requests.Start();
        foreach (var id in ids)
        {
            var start = Measure.Now();
            await host.Client.RaiseEventAsync(id, BenchTasks.EventName, "approved", cancellation);
            await host.WaitForCompletionAsync(id, cancellation);
            latencies.Add(Measure.MillisecondsSince(start));
            await Task.Delay(Gap, cancellation);
        }

        var values = environment.Requests.Stop().PerUnit("(d)", "event", samples);
        values[P50Key] = Percentiles.Of(latencies, 50);
        values[P95Key] = Percentiles.Of(latencies, 95);
        return values;
    }
}
