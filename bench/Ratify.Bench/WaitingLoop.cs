namespace Ratify.Bench;

/// <summary>
/// Runs a batch the way agents on the fast path do: a fixed number of clients share the runs, each starting one with a
/// wait (the start call answers when the run has finished), reading it once, then starting the next. No polling.
/// </summary>
internal static class WaitingLoop
{
    /// <param name="count">Runs in the batch.</param>
    /// <param name="clients">Clients working at once.</param>
    /// <param name="startAndWait">Starts run number i and returns its id once it completed; throws when it did not.</param>
    /// <param name="read">Reads the finished run once (the figure a client pays for the whole run's state).</param>
    /// <param name="cancellation">Stops the batch.</param>
    /// <returns>Latencies and start calls are the waiting start calls; status calls are the reads.</returns>
    public static async Task<RunLoad> RunAsync(
        int count,
        int clients,
        Func<int, CancellationToken, Task<string>> startAndWait,
        Func<string, CancellationToken, Task<bool>> read,
        CancellationToken cancellation)
    {
        var latencies = new List<double>(count);
        var reads = new List<double>(count);
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
                var id = await startAndWait(i, stop.Token);
                var finished = Measure.Now();
                if (!await read(id, stop.Token))
                {
                    throw new InvalidOperationException($"Run {id} was answered as finished but reads as not completed.");
                }

                var readDone = Measure.Now();
                lock (gate)
                {
                    latencies.Add(Measure.MillisecondsBetween(begun, finished));
                    reads.Add(Measure.MillisecondsBetween(finished, readDone));
                    last = Math.Max(last, finished);
                }
            }
        }

        var first = Measure.Now();
        await ClientPool.RunAsync(clients, stop, ClientAsync);
        cancellation.ThrowIfCancellationRequested();
        return new RunLoad(latencies, Measure.MillisecondsBetween(first, last), latencies, reads);
    }
}
