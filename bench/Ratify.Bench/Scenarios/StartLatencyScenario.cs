using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Ratify.Bench.Scenarios;

/// <summary>(e) From the schedule call to the orchestration's first activity starting, one instance at a time.</summary>
internal sealed class StartLatencyScenario : IScenario
{
    private const string P50Key = "start_latency_p50_ms";
    private const string P95Key = "start_latency_p95_ms";
    private static readonly TimeSpan Gap = TimeSpan.FromMilliseconds(20);

    public string Name => "(e) start latency";

    public IReadOnlyList<Figure> Figures { get; } =
    [
        new(P50Key, "(e) schedule -> first activity started, p50", "ms", FigureTime.Milliseconds, new FigureTarget(50, AtLeast: false)),
        new(P95Key, "(e) schedule -> first activity started, p95", "ms", FigureTime.Milliseconds),
    ];

    public async Task<IReadOnlyDictionary<string, double>> RunOnceAsync(BenchEnvironment environment, CancellationToken cancellation)
    {
        var samples = environment.Size(full: 50, quick: 10);
        await using var host = await environment.StartHostAsync(cancellation);
        ActivityStamps.Clear();

        var latencies = new List<double>(samples);
        environment.Requests.Start();
        for (var i = 0; i < samples; i++)
        {
            var id = Guid.NewGuid().ToString("N");
            var start = Measure.Now();
            await host.Client.ScheduleNewOrchestrationInstanceAsync(BenchTasks.StampedSequence, 1, new StartOrchestrationOptions(id), cancellation);
            await host.WaitForSequenceAsync(id, 1, cancellation);
            latencies.Add(Measure.MillisecondsBetween(start, ActivityStamps.StepStarted[(id, 0)]));
            await Task.Delay(Gap, cancellation);
        }

        // Counted over each whole instance (start, one activity, completion), not only up to the activity.
        var values = environment.Requests.Stop().PerUnit("(e)", "instance", samples);
        values[P50Key] = Percentiles.Of(latencies, 50);
        values[P95Key] = Percentiles.Of(latencies, 95);
        return values;
    }
}
