namespace Ratify.Functions.Runs;

/// <summary>One page of runs, newest first; <paramref name="ContinuationToken"/> is null on the last page.</summary>
public sealed record RunPage(IReadOnlyList<RunRecord> Runs, string? ContinuationToken);
