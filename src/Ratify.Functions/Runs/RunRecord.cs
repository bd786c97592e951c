using System.Text.Json.Nodes;

namespace Ratify.Functions.Runs;

/// <summary>A run as the Runs table keeps it: what was started, by whom, and its latest status.</summary>
public sealed record RunRecord(
    string RunId,
    string TenantId,
    string WorkflowId,
    int Version,
    string Status,
    JsonNode? Input,
    DateTimeOffset CreatedAt,
    DateTimeOffset? CompletedAt,
    RunError? Error,
    string? ReplayOf,
    string CreatedBy);
