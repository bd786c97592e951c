using Ratify.Durable.Actions;

namespace Ratify.Durable.Replay;

/// <summary>What one episode of an orchestrator produced.</summary>
/// <param name="Actions">New activities and timers, in task id order.</param>
/// <param name="Completion">How the execution ended, or null while it goes on.</param>
/// <param name="CustomStatus">The serialised custom status after the episode.</param>
internal sealed record OrchestrationResult(
    IReadOnlyList<OrchestratorAction> Actions,
    CompleteOrchestrationAction? Completion,
    string? CustomStatus);
