namespace Ratify.Durable.Storage;

/// <summary>What the history's state row tells a status call: the instance as of its last committed episode.</summary>
/// <param name="CreatedTime">When the current execution started; null on rows written before the state row kept it.</param>
/// <param name="LastUpdatedTime">The time of the last committed episode.</param>
internal sealed record InstanceStateRow(
    string ExecutionId,
    string Name,
    OrchestrationRuntimeStatus Status,
    DateTime? CreatedTime,
    DateTime LastUpdatedTime,
    string? CustomStatus);
