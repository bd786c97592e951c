namespace Ratify.Durable;

/// <summary>The orchestrator's replay did not match its recorded history; the instance fails with this.</summary>
public sealed class NonDeterministicOrchestrationException(string message) : Exception(message);
