using System.Text.Json.Nodes;

namespace Ratify.Functions.Orchestration;

/// <summary>Everything a run needs, pinned when it starts: the definition version, the input, and steps reused from earlier runs.</summary>
/// <param name="Definition">The workflow definition as JSON (the pinned version).</param>
/// <param name="Reuse">Steps not to execute: their recorded result is taken from <see cref="ReusedStep.FromRunId"/>.</param>
/// <param name="TraceParent">The W3C trace context of the run's span, handed to every step attempt so that the run is one
/// trace on whichever host each step executes; null when telemetry was off at the start.</param>
/// <param name="AuditAttempts">How many times an audit record of the orchestrator's is tried before the run gives up and
/// fails; null for the standard 10 (about two and a half minutes of storage outage).</param>
public sealed record RunOrchestrationInput(
    string RunId,
    string TenantId,
    string WorkflowId,
    int Version,
    JsonObject Definition,
    DateTimeOffset StartedAt,
    IReadOnlyDictionary<string, ReusedStep>? Reuse = null,
    string? TraceParent = null,
    int? AuditAttempts = null);
