namespace Ratify.Functions.Audit;

/// <summary>The types of audit records written today.</summary>
public static class AuditTypes
{
    public const string RunStarted = "run.started";
    public const string RunPaused = "run.paused";
    public const string RunResumed = "run.resumed";
    public const string RunCancelRequested = "run.cancel_requested";
    public const string RunRetried = "run.retried";
    public const string RunReplayed = "run.replayed";
    public const string RunFinished = "run.finished";

    public const string StepAttemptStarted = "step.attempt.started";
    public const string StepAttemptCompleted = "step.attempt.completed";
    public const string StepAttemptFailed = "step.attempt.failed";
    public const string StepAttemptCancelled = "step.attempt.cancelled";
    public const string StepRetrying = "step.retrying";
    public const string StepTimedOut = "step.timed_out";
    public const string StepSkipped = "step.skipped";
    public const string StepCancelled = "step.cancelled";
    public const string StepResultLate = "step.result_late";
    public const string ArtifactWritten = "artifact.written";

    public const string ApprovalRequested = "approval.requested";
    public const string ApprovalNotified = "approval.notified";
    public const string ApprovalLinkOpened = "approval.link_opened";
    public const string ApprovalResolved = "approval.resolved";
    public const string ApprovalExpired = "approval.expired";
    public const string ApprovalEscalated = "approval.escalated";
    public const string ApprovalLinksRevoked = "approval.links_revoked";

    public const string WorkflowVersionCreated = "workflow.version_created";
    public const string WorkflowArchived = "workflow.archived";
    public const string KeyCreated = "key.created";
    public const string KeyRevoked = "key.revoked";
    public const string RunPurged = "run.purged";
}
