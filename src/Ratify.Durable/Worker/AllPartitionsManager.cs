namespace Ratify.Durable.Worker;

/// <summary>Serves every partition: for a single host, where no leases are needed.</summary>
internal sealed class AllPartitionsManager(DurableTaskOptions options) : IPartitionManager
{
    private Func<int, Task>? _released;

    public Task StartAsync(Action<int> acquired, Func<int, Task> released, CancellationToken cancellationToken)
    {
        _released = released;
        for (var partition = 0; partition < options.StorageProvider.PartitionCount; partition++)
        {
            acquired(partition);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync() =>
        _released is null ? Task.CompletedTask : Task.WhenAll(Enumerable.Range(0, options.StorageProvider.PartitionCount).Select(_released));
}
