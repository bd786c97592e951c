namespace Ratify.Functions.Http;

/// <summary>One step of a replay plan: <c>reuse</c> or <c>run</c>, and its side effect (<c>read</c>, <c>idempotent</c> or <c>irreversible</c>).</summary>
/// <param name="Note">For an approval gate: whether its decision is reused (the artifacts it was based on are byte-identical) or it asks again, and why.</param>
public sealed record ReplayPlanStepResponse(string Id, string Action, string SideEffect, string? Note = null);
