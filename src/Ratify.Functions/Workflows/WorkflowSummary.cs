namespace Ratify.Functions.Workflows;

/// <summary>A workflow as listed: its head row, without the definition.</summary>
public sealed record WorkflowSummary(
    string Id,
    string Name,
    string? Description,
    int LatestVersion,
    bool Archived,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);
