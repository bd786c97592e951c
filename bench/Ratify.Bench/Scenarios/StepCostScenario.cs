namespace Ratify.Bench.Scenarios;

/// <summary>
/// (f) Whether a step costs more as the history grows: in one long sequential orchestration, the median
/// time between consecutive activity starts near step 10 against near the last step (1000).
/// </summary>
internal sealed class StepCostScenario : IScenario
{
    private const string RatioKey = "step_cost_ratio_1000_vs_10";
    private const string EarlyKey = "step_ms_near_10";
    private const string LateKey = "step_ms_near_1000";

    public string Name => "(f) step cost vs history";

    public IReadOnlyList<Figure> Figures { get; } =
    [
        new(RatioKey, "(f) step time at step 1000 / at step 10", "ratio", Target: new FigureTarget(1.5, AtLeast: false)),
        new(EarlyKey, "(f) step time, steps 5-15 (median)", "ms", FigureTime.Milliseconds, InJson: false),
        new(LateKey, "(f) step time, last 10 steps (median)", "ms", FigureTime.Milliseconds, InJson: false),
    ];

    public async Task<IReadOnlyDictionary<string, double>> RunOnceAsync(BenchEnvironment environment, CancellationToken cancellation)
    {
        var steps = environment.Size(full: 1000, quick: 100);
        await using var host = await environment.StartHostAsync(cancellation);
        ActivityStamps.Clear();

        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync(BenchTasks.StampedSequence, steps, cancellation);
        await host.WaitForSequenceAsync(id, steps, cancellation);

        // Step i's time is from activity i-1 starting to activity i starting: one whole episode and dispatch.
        double StepMs(int step) => Measure.MillisecondsBetween(ActivityStamps.StepStarted[(id, step - 1)], ActivityStamps.StepStarted[(id, step)]);
        var early = Percentiles.Median(Enumerable.Range(5, 11).Select(StepMs));
        var late = Percentiles.Median(Enumerable.Range(steps - 10, 10).Select(StepMs));

        // Ten steps are a few milliseconds of wall time, so a burst of other load moves them; a tenth of the run each side does not.
        var tenth = steps / 10;
        var firstTenth = Percentiles.Median(Enumerable.Range(1, tenth).Select(StepMs));
        var lastTenth = Percentiles.Median(Enumerable.Range(steps - tenth, tenth).Select(StepMs));
        return new Dictionary<string, double>
        {
            [RatioKey] = late / early,
            [EarlyKey] = early,
            [LateKey] = late,
            ["(f) detail: step ms, first tenth of the steps (median)"] = firstTenth,
            ["(f) detail: step ms, last tenth of the steps (median)"] = lastTenth,
            ["(f) detail: ratio last tenth / first tenth"] = lastTenth / firstTenth,
        };
    }
}
