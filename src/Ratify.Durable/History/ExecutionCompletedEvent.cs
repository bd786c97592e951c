namespace Ratify.Durable.History;

/// <summary>The last event of an execution: its final status with the result or failure.</summary>
internal sealed record ExecutionCompletedEvent(
    int EventId,
    DateTime Timestamp,
    OrchestrationRuntimeStatus OrchestrationStatus,
    string? Result,
    TaskFailureDetails? FailureDetails) : HistoryEvent(EventId, Timestamp);
