using System.Globalization;
using Ratify.Bench.Scenarios;

namespace Ratify.Bench;

/// <summary>Runs each scenario a number of times, each run bounded by a timeout, and collects the values.</summary>
internal sealed class ScenarioRunner(BenchEnvironment environment, int runs, TimeSpan timeout)
{
    public async Task<ScenarioOutcome> RunAsync(IScenario scenario, CancellationToken cancellation)
    {
        var values = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        for (var run = 1; run <= runs; run++)
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            limit.CancelAfter(timeout);
            try
            {
                // WaitAsync: a run that ignores its token still cannot hold up the benchmark.
                var result = await scenario.RunOnceAsync(environment, limit.Token).WaitAsync(limit.Token);
                foreach (var (key, value) in result)
                {
                    (values.TryGetValue(key, out var list) ? list : values[key] = []).Add(value);
                }

                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {scenario.Name}, run {run}/{runs}: ") +
                    string.Join(", ", scenario.Figures.Where(f => result.ContainsKey(f.Key)).Select(f => $"{ResultTable.Format(result[f.Key])} {f.Unit}")));
            }
#pragma warning disable CA1031 // A failed scenario is reported in the table; the others still run.
            catch (Exception e) when (!cancellation.IsCancellationRequested)
#pragma warning restore CA1031
            {
                var reason = limit.IsCancellationRequested ? $"timed out after {timeout.TotalMinutes:0.#} min" : $"{e.GetType().Name}: {e.Message}";
                await Console.Error.WriteLineAsync($"  {scenario.Name}, run {run}/{runs} FAILED: {reason}");
                return new ScenarioOutcome(scenario, values, $"run {run} {reason}");
            }
        }

        return new ScenarioOutcome(scenario, values, null);
    }
}
