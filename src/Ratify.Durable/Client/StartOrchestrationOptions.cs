namespace Ratify.Durable.Client;

/// <summary>How to start an instance: with a caller-chosen id, and optionally later.</summary>
public sealed record StartOrchestrationOptions(string? InstanceId = null, DateTimeOffset? StartAt = null);
