namespace Ratify.Durable.Worker;

/// <summary>What an activity run by this backend knows about the call that started it.</summary>
internal sealed class StorageTaskActivityContext(string name, string instanceId) : TaskActivityContext
{
    public override TaskName Name => new(name);

    public override string InstanceId => instanceId;
}
