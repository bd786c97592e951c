using Ratify.Functions.Runs;

namespace Ratify.Functions.Orchestration;

/// <summary>A step status that the orchestrator decides on its own (a delay that ran out, an attempt that timed out), to be published as an event.</summary>
public sealed record StepSettled(string RunId, string StepId, int Attempt, string EventType, RunError? Error, string TenantId);
