namespace Ratify.Durable.Client;

/// <summary>A filter over instances; every criterion is optional.</summary>
public sealed record OrchestrationQuery
{
    public DateTimeOffset? CreatedFrom { get; init; }

    public DateTimeOffset? CreatedTo { get; init; }

    public IReadOnlyCollection<OrchestrationRuntimeStatus>? Statuses { get; init; }

    public string? TaskName { get; init; }

    /// <summary>Instances per page. Default 100 (1–1000).</summary>
    public int PageSize { get; init; } = 100;

    /// <summary>The token of the previous page, to read the next one.</summary>
    public string? ContinuationToken { get; init; }

    public bool FetchInputsAndOutputs { get; init; }
}
