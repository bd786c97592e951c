using Ratify.Functions.Runs;

namespace Ratify.Functions.Orchestration;

/// <summary>Where one step of a run stands; part of <see cref="RunProgress"/>.</summary>
/// <param name="ApprovalId">For an approval step: the approval its gate opened.</param>
public sealed record StepProgress(
    string Status,
    int Attempts,
    DateTimeOffset? StartedAt,
    DateTimeOffset? CompletedAt,
    RunError? Error,
    string? ReusedFrom,
    string? ApprovalId = null);
