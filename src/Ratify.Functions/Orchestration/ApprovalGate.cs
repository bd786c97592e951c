using Microsoft.DurableTask;
using Ratify.Functions.Approvals;
using Ratify.Functions.Runs;

namespace Ratify.Functions.Orchestration;

/// <summary>
/// The orchestrator's side of an approval step: open the approval, notify, then wait for the event bound to the approval
/// together with a durable timer for its timeout, and settle. Every decision and all I/O happen in activities.
/// </summary>
internal static class ApprovalGate
{
    private static readonly TaskOptions Retry = TaskOptions.FromRetryPolicy(new RetryPolicy(5, TimeSpan.FromSeconds(1), 2));

    /// <param name="open">The gates still waiting, by approval id: their links are voided if the run ends first.</param>
    /// <param name="publish">Publishes the run's progress after the step starts waiting.</param>
    /// <param name="audit">Records each decision, expiry and escalation in the same history commit in which the gate acts on it.</param>
    public static async Task<StepOutcome> RunAsync(
        TaskOrchestrationContext context, StepExecution execution, StepTracker steps, ISet<string> open, Func<Task> publish, RunAuditLog audit)
    {
        var gate = new ApprovalStep(execution, ApprovalIds.From(context.NewGuid()));
        var progress = await context.CallActivityAsync<ApprovalProgress>(OpenApprovalActivity.Name, gate, Retry);
        if (progress.Outcome is { } skipped)
        {
            return skipped;
        }

        open.Add(gate.ApprovalId);
        steps[execution.StepId] = steps[execution.StepId] with { ApprovalId = gate.ApprovalId };
        if (!progress.Decided)
        {
            steps[execution.StepId] = steps[execution.StepId] with { Status = StepStatuses.WaitingApproval };
            await publish();
            progress = await NotifyAsync(context, gate, 0, progress.ExpiresAt);
        }

#pragma warning disable DURABLE0011 // Bounded: each round ends in a decision, one approver's vote, the single escalation, or a bounded notification retry.
        while (true)
#pragma warning restore DURABLE0011
        {
            var timedOut = false;
            if (!progress.Decided)
            {
                using var stop = new CancellationTokenSource();
                var signal = context.WaitForExternalEvent<ApprovalSignal>(ApprovalSignal.EventName(gate.ApprovalId), stop.Token);
                var timer = progress.ExpiresAt is { } expiresAt ? context.CreateTimer(expiresAt.UtcDateTime, stop.Token) : null;
                var retry = progress.RetryNotificationsIn is { } retryIn ? context.CreateTimer(retryIn, stop.Token) : null;
                var first = await Task.WhenAny(new[] { signal, timer, retry }.OfType<Task>());
                stop.Cancel();

                if (first == retry)
                {
                    // A durable timer, so a retry survives the host: only the deliveries still failing are tried again.
                    progress = await NotifyAsync(context, gate, progress.Round, progress.ExpiresAt);
                    continue;
                }

                timedOut = first == timer;
                if (!timedOut && await signal is { Decision: ApprovalResolver.Approve or ApprovalResolver.Reject } decided)
                {
                    // The decision and the step's output were stored before the event was raised.
                    open.Remove(gate.ApprovalId);
                    audit.Approval(gate.ApprovalId, ApprovalAuditEntry.Settled, progress.Round);
                    return SettleApprovalActivity.OutcomeOf(execution.StepId, decided.Decision, decided.DecidedBy, decided.Note);
                }
            }

            var settled = await context.CallActivityAsync<ApprovalProgress>(SettleApprovalActivity.Name, gate with { TimedOut = timedOut }, Retry);
            if (settled.Outcome is { } outcome)
            {
                open.Remove(gate.ApprovalId);
                audit.Approval(gate.ApprovalId, ApprovalAuditEntry.Settled, progress.Round);
                return outcome;
            }

            if (settled.Round > progress.Round)
            {
                audit.Approval(gate.ApprovalId, ApprovalAuditEntry.Settled, progress.Round);
            }

            progress = settled.Round > progress.Round
                ? await NotifyAsync(context, gate, settled.Round, settled.ExpiresAt)
                : settled with { RetryNotificationsIn = progress.RetryNotificationsIn };
        }
    }

    private static async Task<ApprovalProgress> NotifyAsync(TaskOrchestrationContext context, ApprovalStep gate, int round, DateTimeOffset? expiresAt)
    {
        try
        {
            return await context.CallActivityAsync<ApprovalProgress>(NotifyApprovalActivity.Name, gate with { Round = round }, Retry);
        }
        catch (TaskFailedException)
        {
            // Storage kept failing: the gate still waits, and its approval shows no delivery.
            return new ApprovalProgress(null, expiresAt, Round: round);
        }
    }
}
