namespace Ratify.Functions.Runs;

/// <summary>A request does not fit a run's current state (or an idempotency key's earlier use); the message says why.</summary>
public sealed class RunConflictException(string message) : Exception(message);
