namespace Ratify.Durable.Client;

/// <summary>One page of a query; <paramref name="ContinuationToken"/> is null on the last page.</summary>
public sealed record OrchestrationPage(IReadOnlyList<OrchestrationMetadata> Instances, string? ContinuationToken);
