namespace Ratify.Durable.Storage;

/// <summary>Every table, queue and container name of one task hub, derived in one place.</summary>
internal sealed class StorageNames
{
    public StorageNames(string hubName, int partitionCount)
    {
        if (hubName.Length is < 3 or > 45 || !char.IsAsciiLetter(hubName[0]) || !hubName.All(char.IsAsciiLetterOrDigit))
        {
            throw new ArgumentException(
                $"The task hub name '{hubName}' is invalid: use 3 to 45 letters and digits, starting with a letter " +
                "(setting extensions:durableTask:hubName).", nameof(hubName));
        }

        var lower = hubName.ToLowerInvariant();
        HistoryTable = hubName + "History";
        InstancesTable = hubName + "Instances";
        ControlQueues = [.. Enumerable.Range(0, partitionCount).Select(i => $"{lower}-control-{i:D2}")];
        WorkItemQueue = lower + "-workitems";
        PoisonQueue = lower + "-poison";
        LeaseContainer = lower + "-leases";
        PayloadContainer = lower + "-largemessages";
    }

    public string HistoryTable { get; }

    public string InstancesTable { get; }

    public IReadOnlyList<string> ControlQueues { get; }

    public string WorkItemQueue { get; }

    public string PoisonQueue { get; }

    public string LeaseContainer { get; }

    public string PayloadContainer { get; }
}
