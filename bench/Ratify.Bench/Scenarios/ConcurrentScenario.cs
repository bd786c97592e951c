using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Ratify.Bench.Scenarios;

/// <summary>(c) Many orchestrations of a few sequential activities started together; the process's memory is sampled meanwhile.</summary>
internal sealed class ConcurrentScenario : IScenario
{
    private const string RateKey = "orchestrations_per_s";
    private const string MemoryKey = "peak_host_memory_mb";
    private const int Steps = 5;

    public string Name => "(c) concurrent";

    public IReadOnlyList<Figure> Figures { get; } =
    [
        new(RateKey, "(c) 100 orchestrations x 5 activities, together", "orchestrations/s", FigureTime.PerSecond),
        new(MemoryKey, "(c) peak working set of the process during (c)", "MB", Target: new FigureTarget(400, AtLeast: false)),
    ];

    public async Task<IReadOnlyDictionary<string, double>> RunOnceAsync(BenchEnvironment environment, CancellationToken cancellation)
    {
        var count = environment.Size(full: 100, quick: 20);
        await using var host = await environment.StartHostAsync(cancellation);

        using var memory = MemorySampler.Start();
        environment.Requests.Start();
        var start = Measure.Now();
        var ids = await Task.WhenAll(Enumerable.Range(0, count)
            .Select(_ => host.Client.ScheduleNewOrchestrationInstanceAsync(BenchTasks.Sequence, Steps, cancellation)));
        await host.WaitForAllAsync(ids, i => i.RuntimeStatus == OrchestrationRuntimeStatus.Completed, cancellation);
        var seconds = Measure.MillisecondsSince(start) / 1000;
        var peak = await memory.StopAsync();
        var requests = environment.Requests.Stop();

        var values = requests.PerUnit("(c)", "orchestration", count);
        values[RateKey] = count / seconds;
        values[MemoryKey] = peak;
        values["(c) detail: activities per s"] = count * Steps / seconds;
        return values;
    }
}
