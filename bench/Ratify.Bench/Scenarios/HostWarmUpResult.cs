namespace Ratify.Bench.Scenarios;

/// <summary>What a host's warm-up did: how many runs, the host's CPU time per run in each batch, and whether it settled within its bound.</summary>
internal sealed record HostWarmUpResult(int Runs, IReadOnlyList<double> CpuMsPerRun, bool Settled);
