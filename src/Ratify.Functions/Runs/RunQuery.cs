namespace Ratify.Functions.Runs;

/// <summary>Filters for listing a tenant's runs; all optional.</summary>
public sealed record RunQuery(
    string? Status = null,
    string? WorkflowId = null,
    DateTimeOffset? CreatedFrom = null,
    DateTimeOffset? CreatedTo = null,
    int Limit = 50,
    string? ContinuationToken = null);
