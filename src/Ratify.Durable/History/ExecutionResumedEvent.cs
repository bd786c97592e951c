namespace Ratify.Durable.History;

/// <summary>The instance was resumed; events that arrived while suspended are delivered now.</summary>
internal sealed record ExecutionResumedEvent(int EventId, DateTime Timestamp, string? Reason) : HistoryEvent(EventId, Timestamp);
