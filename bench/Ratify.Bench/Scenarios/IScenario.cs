namespace Ratify.Bench.Scenarios;

/// <summary>One thing the benchmark measures; run several times, each figure reported as the median of the runs.</summary>
internal interface IScenario
{
    /// <summary>The name shown in progress lines and errors.</summary>
    string Name { get; }

    /// <summary>The figures this scenario reports, in table order. Values under other keys are shown as details.</summary>
    IReadOnlyList<Figure> Figures { get; }

    /// <summary>Runs once and returns a value per figure key.</summary>
    Task<IReadOnlyDictionary<string, double>> RunOnceAsync(BenchEnvironment environment, CancellationToken cancellation);
}
