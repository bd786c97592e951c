using System.Globalization;
using Ratify.Testing;

namespace Ratify.Bench.Scenarios;

/// <summary>
/// Warms a freshly started host up with batches of runs until its CPU time per run stops falling (the JIT has compiled and
/// re-compiled the hot paths), within a bound, so that the measured batch compares a warm host with the engine's warm process.
/// </summary>
/// <remarks>
/// Measured on a 2-core machine, the host's CPU per API run falls for its first few hundred runs (tiered compilation and
/// profile-guided re-compilation) and is then flat; after the minimum, a batch within <see cref="Tolerance"/> of the one before
/// counts as settled.
/// </remarks>
internal static class HostWarmUp
{
    /// <summary>How close (relative) two successive batches' CPU per run must be to count as settled.</summary>
    public const double Tolerance = 0.10;

    /// <summary>
    /// Runs batches of <paramref name="batchSize"/>, at least <paramref name="minRuns"/> runs (the CPU per run still falls slowly
    /// where two early batches already look alike), until the CPU per run settles or <paramref name="maxRuns"/> have run; prints what it did.
    /// </summary>
    public static async Task<HostWarmUpResult> RunAsync(
        RatifyHostProcess host, int batchSize, int minRuns, int maxRuns, Func<int, CancellationToken, Task> batch, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(batch);
        var perRun = new List<double>();
        var settled = false;
        while (perRun.Count * batchSize < maxRuns && !settled)
        {
            var cpu = host.ProcessorTime;
            await batch(batchSize, cancellation);
            perRun.Add((host.ProcessorTime - cpu).TotalMilliseconds / batchSize);
            settled = perRun.Count >= 2 && perRun.Count * batchSize >= minRuns && Math.Abs(perRun[^1] - perRun[^2]) <= Tolerance * perRun[^2];
        }

        var result = new HostWarmUpResult(perRun.Count * batchSize, perRun, settled);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  (g) host warm-up: {result.Runs} runs in batches of {batchSize}, {(settled ? "settled" : "bound reached")}; host CPU ms per run: ")
            + string.Join(", ", perRun.Select(v => v.ToString("0.0", CultureInfo.InvariantCulture))));
        return result;
    }
}
