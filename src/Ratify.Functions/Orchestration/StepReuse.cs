namespace Ratify.Functions.Orchestration;

/// <summary>The input of <see cref="ReuseStepActivity"/>: copy a step's recorded result from one run to another.</summary>
public sealed record StepReuse(string FromRunId, string ToRunId, string StepId);
