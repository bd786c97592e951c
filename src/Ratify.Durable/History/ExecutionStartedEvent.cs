namespace Ratify.Durable.History;

/// <summary>The first event of an execution: which orchestrator runs, with what input.</summary>
internal sealed record ExecutionStartedEvent(int EventId, DateTime Timestamp, string Name, string? Input, string ExecutionId, DateTime? ScheduledStartTime = null)
    : HistoryEvent(EventId, Timestamp);
