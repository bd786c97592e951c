namespace Ratify.Bench;

/// <summary>What one batch of runs measured: each run's latency, the batch's wall time, and the client calls' own times.</summary>
/// <param name="LatenciesMs">Per run: from the start call being made to the first status read that saw it completed.</param>
/// <param name="WallMs">From the first start call to the last completion seen.</param>
/// <param name="StartCallsMs">How long each start call took.</param>
/// <param name="StatusCallsMs">How long each status read took.</param>
internal sealed record RunLoad(IReadOnlyList<double> LatenciesMs, double WallMs, IReadOnlyList<double> StartCallsMs, IReadOnlyList<double> StatusCallsMs)
{
    public double RunsPerSecond => LatenciesMs.Count / (WallMs / 1000);

    public double LatencyP50 => Percentiles.Of(LatenciesMs, 50);

    public double LatencyP95 => Percentiles.Of(LatenciesMs, 95);

    /// <summary>Status reads per run, on average.</summary>
    public double StatusCallsPerRun => (double)StatusCallsMs.Count / LatenciesMs.Count;
}
