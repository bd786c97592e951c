namespace Ratify.Functions.Runs;

/// <summary>What one execution of a step attempt stored: the SHA-256 of its output's canonical JSON and its artifacts.</summary>
public sealed record StepAttemptResult(
    string StepId, int Attempt, int Execution, DateTimeOffset? ScheduledAt, DateTimeOffset RecordedAt, string OutputSha256, IReadOnlyList<ArtifactInfo> Artifacts);
