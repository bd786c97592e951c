using Ratify.Functions.Runs;

namespace Ratify.Functions.Orchestration;

/// <summary>Where one step of a run stands; part of <see cref="RunProgress"/>.</summary>
public sealed record StepProgress(
    string Status,
    int Attempts,
    DateTimeOffset? StartedAt,
    DateTimeOffset? CompletedAt,
    RunError? Error,
    string? ReusedFrom);
