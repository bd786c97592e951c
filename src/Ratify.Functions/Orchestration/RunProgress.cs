using Ratify.Functions.Runs;

namespace Ratify.Functions.Orchestration;

/// <summary>The run's live state, published by <c>RunOrchestrator</c> as the orchestration's custom status.</summary>
/// <param name="Status">A value of <see cref="RunStatuses"/> (never <c>paused</c>: that is the instance being suspended).</param>
/// <param name="Steps">Every step of the definition, by id.</param>
/// <param name="Error">Why the run failed or was cancelled.</param>
public sealed record RunProgress(string Status, IReadOnlyDictionary<string, StepProgress> Steps, RunError? Error);
