namespace Ratify.Functions.Orchestration;

/// <summary>What an approval activity tells the orchestrator: the step's outcome once the gate is settled, else when its timer fires.</summary>
/// <param name="Outcome">Set once the gate passed or failed (or the step was skipped).</param>
/// <param name="ExpiresAt">While the gate waits: when its timeout policy applies; null without a timeout.</param>
/// <param name="Decided">The gate was decided already: settle it without waiting.</param>
/// <param name="Round">After an escalation: the new round, whose approvers are notified.</param>
/// <param name="RetryNotificationsIn">After notifying: some deliveries failed and are to be tried again after this long.</param>
public sealed record ApprovalProgress(StepOutcome? Outcome, DateTimeOffset? ExpiresAt, bool Decided = false, int Round = 0, TimeSpan? RetryNotificationsIn = null);
