using System.Globalization;

namespace Ratify.Bench;

/// <summary>
/// Runs a batch the way agents would: a fixed number of clients share the runs, each starting one, polling its status
/// until it is completed, then starting the next.
/// </summary>
internal static class ClosedLoop
{
    /// <summary>The pause before each status read.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);

    /// <summary>How long one run may take before the batch fails.</summary>
    public static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(60);

    /// <param name="count">Runs in the batch.</param>
    /// <param name="clients">Clients working at once.</param>
    /// <param name="start">Starts run number i and returns its id.</param>
    /// <param name="isCompleted">Reads a run's status: true once completed, false while it is not finished; throws when it ended otherwise.</param>
    /// <param name="cancellation">Stops the batch.</param>
    public static async Task<RunLoad> RunAsync(
        int count,
        int clients,
        Func<int, CancellationToken, Task<string>> start,
        Func<string, CancellationToken, Task<bool>> isCompleted,
        CancellationToken cancellation)
    {
        var latencies = new List<double>(count);
        var startCalls = new List<double>(count);
        var statusCalls = new List<double>(count * 8);
        var gate = new Lock();
        var next = -1;
        var last = 0L;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);

        async Task ClientAsync()
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                var begun = Measure.Now();
                var id = await start(i, stop.Token);
                var started = Measure.Now();
                while (true)
                {
                    await Task.Delay(PollInterval, stop.Token);
                    if (Measure.MillisecondsSince(begun) > RunTimeout.TotalMilliseconds)
                    {
                        throw new TimeoutException(string.Create(CultureInfo.InvariantCulture, $"Run {id} did not complete within {RunTimeout.TotalSeconds:0} s."));
                    }

                    var read = Measure.Now();
                    var done = await isCompleted(id, stop.Token);
                    var seen = Measure.Now();
                    lock (gate)
                    {
                        statusCalls.Add(Measure.MillisecondsBetween(read, seen));
                        if (done)
                        {
                            startCalls.Add(Measure.MillisecondsBetween(begun, started));
                            latencies.Add(Measure.MillisecondsBetween(begun, seen));
                            last = Math.Max(last, seen);
                        }
                    }

                    if (done)
                    {
                        break;
                    }
                }
            }
        }

        var first = Measure.Now();
        await ClientPool.RunAsync(clients, stop, ClientAsync);
        cancellation.ThrowIfCancellationRequested();
        return new RunLoad(latencies, Measure.MillisecondsBetween(first, last), startCalls, statusCalls);
    }
}
