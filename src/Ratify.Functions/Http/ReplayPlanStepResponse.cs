namespace Ratify.Functions.Http;

/// <summary>One step of a replay plan: <c>reuse</c> or <c>run</c>, and its side effect (<c>read</c>, <c>idempotent</c> or <c>irreversible</c>).</summary>
public sealed record ReplayPlanStepResponse(string Id, string Action, string SideEffect);
