namespace Ratify.Functions.Orchestration;

/// <summary>The input of <see cref="ExecuteStepActivity"/>: which step of which run, and which attempt.</summary>
/// <remarks>Only references travel through the history, with a small run input and the small upstream outputs the step reads;
/// the activity reads the definition, a larger input and any other output from storage.</remarks>
/// <param name="ScheduledAt">When the orchestrator scheduled this attempt (its replay-safe clock): it orders the attempt's
/// writes against other attempts', and tells executions of the same attempt apart from new attempts; null in histories
/// recorded before it was sent.</param>
/// <param name="ExecutionId">Tells one execution of a retried run from another (audit record ids).</param>
/// <param name="Deadline">When the orchestrator's timeout fires for this attempt (null without a timeout): the attempt is
/// cancelled then, and a later result is late.</param>
/// <param name="TraceParent">The run's W3C trace context (<see cref="RunOrchestrationInput.TraceParent"/>): the parent of the attempt's span.</param>
/// <param name="UpstreamOutputs">Outputs (JSON, by step id) of upstream steps the step's templates read, as the orchestrator received
/// them from their attempts (<see cref="ReceivedOutputs"/>); a referenced step missing here is read from storage. Null in histories
/// recorded before it was sent.</param>
public sealed record StepExecution(
    string RunId,
    string TenantId,
    string WorkflowId,
    int Version,
    DateTimeOffset StartedAt,
    string StepId,
    int Attempt,
    DateTimeOffset? ScheduledAt = null,
    string? ExecutionId = null,
    DateTimeOffset? Deadline = null,
    string? TraceParent = null,
    string? InputJson = null,
    IReadOnlyDictionary<string, string>? UpstreamOutputs = null);
