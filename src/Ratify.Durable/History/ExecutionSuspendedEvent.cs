namespace Ratify.Durable.History;

/// <summary>The instance was suspended; later events wait until it is resumed.</summary>
internal sealed record ExecutionSuspendedEvent(int EventId, DateTime Timestamp, string? Reason) : HistoryEvent(EventId, Timestamp);
