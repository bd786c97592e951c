namespace Ratify.Bench;

/// <summary>What every scenario shares: the Azurite, the size of the run, and the request counter.</summary>
/// <param name="ConnectionString">The connection string of the benchmark's own Azurite.</param>
/// <param name="Quick">True for a smoke test: one run, smaller sizes.</param>
/// <param name="Requests">Counts the process's HTTP requests while a scenario asks it to.</param>
/// <param name="StorageProcessorTime">The CPU time the Azurite process has used so far.</param>
internal sealed record BenchEnvironment(string ConnectionString, bool Quick, HttpRequestCounter Requests, Func<TimeSpan> StorageProcessorTime)
{
    /// <summary>The full size, or the quick one in a smoke test.</summary>
    public int Size(int full, int quick) => Quick ? quick : full;

    /// <summary>A worker host on a fresh task hub, warmed up.</summary>
    public Task<BenchHost> StartHostAsync(CancellationToken cancellation) => BenchHost.StartAsync(ConnectionString, cancellation);
}
