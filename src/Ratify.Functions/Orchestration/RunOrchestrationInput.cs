using System.Text.Json.Nodes;

namespace Ratify.Functions.Orchestration;

/// <summary>Everything a run needs, pinned when it starts: the definition version, the input, and steps reused from earlier runs.</summary>
/// <param name="Definition">The workflow definition as JSON (the pinned version).</param>
/// <param name="Reuse">Steps not to execute: their recorded result is taken from <see cref="ReusedStep.FromRunId"/>.</param>
/// <param name="TraceParent">The W3C trace context of the run's span, handed to every step attempt so that the run is one
/// trace on whichever host each step executes; null when telemetry was off at the start.</param>
/// <param name="AuditAttempts">How many times an audit record of the orchestrator's is tried before the run gives up and
/// fails; null for the standard 10 (about two and a half minutes of storage outage).</param>
/// <param name="InputJson">The run's input as JSON when it is small (<see cref="CarryInput"/>), handed to every step attempt so
/// that no step reads the run's row for it; null when it is larger, and in histories recorded before it was sent.</param>
/// <param name="RowETag">The ETag of the run's row as the start left it (status running), so that the run's end is written without
/// reading the row first while nothing else changed it; null when unknown, and in histories recorded before it was sent.</param>
public sealed record RunOrchestrationInput(
    string RunId,
    string TenantId,
    string WorkflowId,
    int Version,
    JsonObject Definition,
    DateTimeOffset StartedAt,
    IReadOnlyDictionary<string, ReusedStep>? Reuse = null,
    string? TraceParent = null,
    int? AuditAttempts = null,
    string? InputJson = null,
    string? RowETag = null)
{
    /// <summary>The longest input (in characters of JSON) carried through the history; larger ones are read from the run's row.</summary>
    public const int MaxCarriedInputChars = 2_048;

    /// <summary>The input as JSON when it is short enough to travel with every step attempt, else null.</summary>
    public static string? CarryInput(JsonNode? input)
    {
        var json = input?.ToJsonString() ?? "null";
        return json.Length <= MaxCarriedInputChars ? json : null;
    }
}
