using Ratify.Durable.History;

namespace Ratify.Durable.Actions;

/// <summary>End the execution with <paramref name="Status"/>; for <c>ContinuedAsNew</c>, start again with <paramref name="Result"/> as input.</summary>
/// <param name="Status">Completed, Failed, Terminated or ContinuedAsNew.</param>
/// <param name="Result">The output, the termination reason, or the new input.</param>
/// <param name="FailureDetails">Why it failed.</param>
/// <param name="CarryoverEvents">External events not consumed yet, handed to the new execution of a ContinueAsNew.</param>
internal sealed record CompleteOrchestrationAction(
    OrchestrationRuntimeStatus Status,
    string? Result,
    TaskFailureDetails? FailureDetails,
    IReadOnlyList<EventRaisedEvent> CarryoverEvents) : OrchestratorAction(-1);
