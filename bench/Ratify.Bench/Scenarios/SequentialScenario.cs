namespace Ratify.Bench.Scenarios;

/// <summary>(a) One orchestration running no-op activities one after the other; also counts the storage requests per step.</summary>
internal sealed class SequentialScenario : IScenario
{
    public const string RequestsPerStepKey = "storage_requests_per_step";
    private const string RateKey = "sequential_activities_per_s";

    public string Name => "(a) sequential";

    public IReadOnlyList<Figure> Figures { get; } =
    [
        new(RateKey, "(a) sequential no-op activities, one orchestration", "activities/s", FigureTime.PerSecond, new FigureTarget(100, AtLeast: true)),
        new(RequestsPerStepKey, "(a) storage requests per sequential step", "requests"),
    ];

    public async Task<IReadOnlyDictionary<string, double>> RunOnceAsync(BenchEnvironment environment, CancellationToken cancellation)
    {
        var steps = environment.Size(full: 100, quick: 20);
        await using var host = await environment.StartHostAsync(cancellation);
        ActivityStamps.Clear();

        environment.Requests.Start();
        var start = Measure.Now();
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync(BenchTasks.StampedSequence, steps, cancellation);
        await host.WaitForSequenceAsync(id, steps, cancellation);
        var seconds = Measure.MillisecondsSince(start) / 1000;
        var requests = environment.Requests.Stop();

        var values = requests.PerUnit("(a)", "step", steps, withDurations: true);
        values.Remove("(a) detail: storage requests per step"); // that is the figure itself
        values[RateKey] = steps / seconds;
        values[RequestsPerStepKey] = (double)requests.RuntimeTotal / steps;
        values["(a) detail: waiter requests per step (not counted)"] = (double)requests.ObserverTotal / steps;
        return values;
    }
}
