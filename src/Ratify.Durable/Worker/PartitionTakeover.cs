namespace Ratify.Durable.Worker;

/// <summary>
/// The recovery owed when this host takes a partition: each unfinished instance is recovered once, either by its
/// first episode here or by the sweep over the partition's unfinished instances, never by both.
/// </summary>
/// <remarks>
/// Polling starts with the take-over, so an instance may run episodes here before the sweep reaches it. Its first
/// episode recovers it from the history it loads; a second recovery by the sweep would find the work that episode
/// dispatched still open and send it again, which is a duplicate activity run whenever it went through the queue.
/// </remarks>
internal sealed class PartitionTakeover
{
    private readonly Lock _gate = new();
    private readonly HashSet<string> _recovered = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _swept = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the sweep has ended (finished, failed or stopped with the partition's release).</summary>
    public Task Swept => _swept.Task;

    /// <summary>
    /// True for the first caller for <paramref name="instanceId"/> while the sweep is on: that caller recovers the
    /// instance. After the sweep, recovery is no longer owed for the take-over and every caller gets false.
    /// </summary>
    public bool TryClaim(string instanceId)
    {
        lock (_gate)
        {
            return !_swept.Task.IsCompleted && _recovered.Add(instanceId);
        }
    }

    public void EndSweep()
    {
        lock (_gate)
        {
            _swept.TrySetResult();
            _recovered.Clear();
        }
    }
}
