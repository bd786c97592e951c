namespace Ratify.Functions.Orchestration;

/// <summary>The payload of the <c>cancel</c> event a client raises on a run.</summary>
public sealed record CancelRequest(string? Reason);
