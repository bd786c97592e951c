using Ratify.Functions.Orchestration;

namespace Ratify.Functions.Runs;

/// <summary>The plan of a replay: every step in definition order with its action, and what would make the replay refused.</summary>
/// <param name="Steps">Every step of the definition, in definition order.</param>
/// <param name="WouldRefuse">Steps that completed in the original with an irreversible side effect and would run again (empty when the caller allows it).</param>
/// <param name="Reuse">What the new run's orchestration takes over from the original.</param>
public sealed record ReplayPlan(IReadOnlyList<ReplayStep> Steps, IReadOnlyList<string> WouldRefuse, IReadOnlyDictionary<string, ReusedStep> Reuse);
