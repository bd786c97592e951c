namespace Ratify.Durable.History;

/// <summary>An external event arrived; <paramref name="MessageId"/> lets a redelivered message be recognised.</summary>
internal sealed record EventRaisedEvent(int EventId, DateTime Timestamp, string Name, string? Input, string MessageId) : HistoryEvent(EventId, Timestamp);
