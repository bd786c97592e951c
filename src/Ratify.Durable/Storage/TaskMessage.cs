using System.Text.Json.Serialization;
using Ratify.Durable.History;

namespace Ratify.Durable.Storage;

/// <summary>A message for an instance (control queue) or an activity to run (work-item queue).</summary>
/// <param name="Id">Unique per message, so that redelivery can be recognised.</param>
/// <param name="InstanceId">The target instance.</param>
/// <param name="ExecutionId">The target execution, or null for any (external events, client requests).</param>
/// <param name="Event">The history event the message carries.</param>
/// <param name="InstanceRowETag">
/// On a start: the ETag the client's write of the Instances row got. The worker's first write of the row is conditional on it,
/// which saves reading the row first; when the row changed since, storage refuses the write and the worker reads it after all.
/// </param>
internal sealed record TaskMessage(string Id, string InstanceId, string? ExecutionId, HistoryEvent Event,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? InstanceRowETag = null)
{
    public static TaskMessage For(string instanceId, string? executionId, HistoryEvent e) =>
        new(Guid.NewGuid().ToString("N"), instanceId, executionId, e);
}
