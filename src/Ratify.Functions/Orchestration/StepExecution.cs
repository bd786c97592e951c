namespace Ratify.Functions.Orchestration;

/// <summary>The input of <see cref="ExecuteStepActivity"/>: which step of which run, and which attempt.</summary>
/// <remarks>Only references travel through the history; the activity reads the definition, input and outputs from storage.</remarks>
public sealed record StepExecution(
    string RunId,
    string TenantId,
    string WorkflowId,
    int Version,
    DateTimeOffset StartedAt,
    string StepId,
    int Attempt);
