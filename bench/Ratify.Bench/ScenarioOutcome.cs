using Ratify.Bench.Scenarios;

namespace Ratify.Bench;

/// <summary>The values of every run of one scenario, or why it stopped early.</summary>
internal sealed record ScenarioOutcome(IScenario Scenario, IReadOnlyDictionary<string, List<double>> Runs, string? Error)
{
    /// <summary>The median over the runs, or null when no run produced <paramref name="key"/>.</summary>
    public double? Median(string key) => Runs.TryGetValue(key, out var values) && values.Count > 0 ? Percentiles.Median(values) : null;

    /// <summary>The declared figures first, then the details the runs reported, in the order they came.</summary>
    public IEnumerable<Figure> AllFigures =>
        Scenario.Figures.Concat(Runs.Keys
            .Where(key => Scenario.Figures.All(f => f.Key != key))
            .Select(key => new Figure(key, key, string.Empty, InJson: false)));
}
