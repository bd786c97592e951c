using System.Text.Json.Nodes;

namespace Ratify.Functions.Http;

/// <summary>The body of <c>POST /v1/runs/{runId}/replay</c>.</summary>
/// <param name="FromStep">The first step to execute again; it and every step downstream of it run, the rest is reused.</param>
/// <param name="Input">A new input; the original run's input when absent.</param>
/// <param name="DryRun">Only answer which steps would be reused and which would run; start nothing.</param>
/// <param name="RerunIrreversible">Allow steps that completed with an irreversible side effect (a message sent) to run again.</param>
public sealed record ReplayRunRequest(string? FromStep, JsonNode? Input = null, bool? DryRun = null, bool? RerunIrreversible = null);
