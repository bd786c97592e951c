using System.Collections.Concurrent;

namespace Ratify.Durable.Worker;

/// <summary>Tells waiting clients in this process that an instance's status changed, so they need not poll.</summary>
internal sealed class InstanceNotifier
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _changes = new(StringComparer.Ordinal);

    /// <summary>A task that completes at the instance's next change.</summary>
    public Task NextChangeAsync(string instanceId) =>
        _changes.GetOrAdd(instanceId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    public void Changed(string instanceId)
    {
        if (_changes.TryRemove(instanceId, out var change))
        {
            change.TrySetResult();
        }
    }
}
