namespace Ratify.Bench.Scenarios;

/// <summary>(b) One orchestration fanning out no-op activities and waiting for all of them.</summary>
internal sealed class FanOutScenario : IScenario
{
    private const string WallKey = "fanout_200_s";

    public string Name => "(b) fan-out";

    public IReadOnlyList<Figure> Figures { get; } =
    [
        new(WallKey, "(b) fan-out of 200 no-op activities, wall time", "s", FigureTime.Seconds),
    ];

    public async Task<IReadOnlyDictionary<string, double>> RunOnceAsync(BenchEnvironment environment, CancellationToken cancellation)
    {
        var width = environment.Size(full: 200, quick: 50);
        await using var host = await environment.StartHostAsync(cancellation);

        environment.Requests.Start();
        var start = Measure.Now();
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync(BenchTasks.FanOut, width, cancellation);
        await host.WaitForCompletionAsync(id, cancellation);
        var seconds = Measure.MillisecondsSince(start) / 1000;
        var values = environment.Requests.Stop().PerUnit("(b)", "activity", width);
        values[WallKey] = seconds;
        return values;
    }
}
