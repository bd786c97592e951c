namespace Ratify.Durable.History;

/// <summary>The instance was terminated with <paramref name="Reason"/>.</summary>
internal sealed record ExecutionTerminatedEvent(int EventId, DateTime Timestamp, string? Reason) : HistoryEvent(EventId, Timestamp);
