namespace Ratify.Durable.Storage;

/// <summary>One row of the Instances table: what queries and status calls see of an instance.</summary>
/// <param name="Revision">The history revision this row shows; a row is never replaced by one showing an older revision.</param>
internal sealed record InstanceRecord(
    string InstanceId,
    string Name,
    string ExecutionId,
    OrchestrationRuntimeStatus Status,
    DateTime CreatedTime,
    DateTime LastUpdatedTime,
    DateTime? CompletedTime,
    string? Input,
    string? Output,
    string? CustomStatus,
    TaskFailureDetails? FailureDetails,
    int Partition,
    long Revision = 0);
