using System.Text.Json.Nodes;

namespace Ratify.Functions.Runs;

/// <summary>A request to start a run of a workflow (the latest version unless <paramref name="Version"/> pins one).</summary>
public sealed record RunStart(string TenantId, string WorkflowId, int? Version, JsonNode? Input, string CreatedBy);
