using Ratify.Functions.Runs;

namespace Ratify.Functions.Orchestration;

/// <summary>The input of <see cref="FinishRunActivity"/>: the run's final status.</summary>
public sealed record RunFinish(string TenantId, string RunId, string Status, RunError? Error);
