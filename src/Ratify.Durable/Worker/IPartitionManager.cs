namespace Ratify.Durable.Worker;

/// <summary>Decides which control-queue partitions this host serves, and tells the dispatcher when that changes.</summary>
internal interface IPartitionManager
{
    /// <summary>Starts taking partitions; calls <paramref name="acquired"/> and <paramref name="released"/> as ownership changes.</summary>
    Task StartAsync(Action<int> acquired, Func<int, Task> released, CancellationToken cancellationToken);

    /// <summary>Gives every partition back (after <paramref name="released"/> ran for each).</summary>
    Task StopAsync();
}
