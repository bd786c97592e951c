namespace Ratify.Durable.History;

/// <summary>The instance was terminated with <paramref name="Reason"/>.</summary>
public sealed record ExecutionTerminatedEvent(int EventId, DateTime Timestamp, string? Reason) : HistoryEvent(EventId, Timestamp);
