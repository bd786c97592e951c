namespace Ratify.Functions.Runs;

/// <summary>A replay's plan, and the run it started (null for a dry run).</summary>
public sealed record ReplayOutcome(ReplayPlan Plan, RunRecord? Started);
