namespace Ratify.Functions.Orchestration;

/// <summary>The input of <see cref="ExecuteStepActivity"/>: which step of which run, and which attempt.</summary>
/// <remarks>Only references travel through the history; the activity reads the definition, input and outputs from storage.</remarks>
/// <param name="ScheduledAt">When the orchestrator scheduled this attempt (its replay-safe clock): it orders the attempt's
/// writes against other attempts', and tells executions of the same attempt apart from new attempts; null in histories
/// recorded before it was sent.</param>
public sealed record StepExecution(
    string RunId,
    string TenantId,
    string WorkflowId,
    int Version,
    DateTimeOffset StartedAt,
    string StepId,
    int Attempt,
    DateTimeOffset? ScheduledAt = null);
