using System.Text;

namespace Ratify.Durable.Storage;

/// <summary>Maps an instance id to its control-queue partition with a hash that never changes between processes.</summary>
internal static class PartitionHash
{
    public static int PartitionOf(string instanceId, int partitionCount)
    {
        // FNV-1a: string.GetHashCode is randomised per process, so it cannot be used here.
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(instanceId))
        {
            hash = (hash ^ b) * 16777619u;
        }

        return (int)(hash % (uint)partitionCount);
    }
}
