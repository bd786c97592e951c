using Ratify.Durable.Worker;

namespace Ratify.Durable.Tests.Worker;

/// <summary>Stands in for the lease manager: the host takes a partition only when the test says so.</summary>
internal sealed class ManualPartitionManager(PartitionFence fence) : IPartitionManager
{
    private readonly TaskCompletionSource<(Action<int> Acquired, Func<int, Task> Released)> _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<int> _taken = [];

    public Task StartAsync(Action<int> acquired, Func<int, Task> released, CancellationToken cancellationToken)
    {
        _started.TrySetResult((acquired, released));
        return Task.CompletedTask;
    }

    /// <summary>Takes <paramref name="partition"/> as a granted lease would, once the worker has started.</summary>
    public async Task TakeAsync(int partition, CancellationToken cancellation)
    {
        var (acquired, _) = await _started.Task.WaitAsync(cancellation);
        fence.Grant(partition, fence.Now());
        _taken.Add(partition);
        acquired(partition);
    }

    public async Task StopAsync()
    {
        if (!_started.Task.IsCompleted)
        {
            return;
        }

        var (_, released) = await _started.Task;
        foreach (var partition in _taken)
        {
            await released(partition);
            fence.Revoke(partition);
        }
    }
}
