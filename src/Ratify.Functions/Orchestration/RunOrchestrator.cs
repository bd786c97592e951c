using System.Text.Json;
using Microsoft.DurableTask;
using Ratify.Functions.Events;
using Ratify.Functions.Runs;
using Ratify.Functions.Workflows;

namespace Ratify.Functions.Orchestration;

/// <summary>
/// Interprets a pinned workflow definition: every step whose dependencies are done runs at once as an
/// activity (fan-out), dependants wait for all of theirs (fan-in), a false <c>if</c> or a skipped
/// dependency skips a step, and retries, timeouts and delays are durable timers.
/// </summary>
/// <remarks>
/// Deterministic: conditions and templates are evaluated in <see cref="ExecuteStepActivity"/>, never here.
/// Progress is published as the custom status (<see cref="RunProgress"/>); a <c>cancel</c> event stops the run.
/// Approval steps are gates (<see cref="ApprovalGate"/>): an external event bound to the approval, raced against a durable timer.
/// </remarks>
public sealed class RunOrchestrator : TaskOrchestrator<RunOrchestrationInput, RunProgress>
{
    public const string Name = nameof(RunOrchestrator);
    public const string CancelEvent = "cancel";
    private const string TimeoutCode = "timeout";

    public override async Task<RunProgress> RunAsync(TaskOrchestrationContext context, RunOrchestrationInput input)
    {
        var definition = input.Definition.Deserialize<WorkflowDefinition>(WorkflowJson.Options)!;
        var steps = new StepTracker(definition);
        var audit = new RunAuditLog(context, input);
        await ReuseAsync(context, input, steps);

        var cancel = context.WaitForExternalEvent<CancelRequest>(CancelEvent);
        var pending = new Dictionary<Task, (string StepId, PendingKind Kind)>();
        var live = new LiveStatus(context, input, steps);
        var gates = new Gates(new HashSet<string>(StringComparer.Ordinal), live.PublishAsync);
        string status = RunStatuses.Completed;
        RunError? error = null;
        while (LaunchReadySteps(context, input, definition, steps, pending, gates, audit))
        {
            await live.PublishAsync();
            var done = await Task.WhenAny(pending.Keys.Append(cancel));
            var now = Now(context);
            if (done == cancel)
            {
                status = RunStatuses.Cancelled;
                error = new RunError("cancelled", (await cancel).Reason ?? "The run was cancelled.");
                CancelUnfinished(steps, audit, now);
                break;
            }

            var (stepId, kind) = pending[done];
            pending.Remove(done);
            var step = definition.Steps.First(s => s.Id == stepId);
            if (kind == PendingKind.Backoff)
            {
                pending[Attempt(context, input, step, steps[stepId].Attempts + 1, steps, gates, audit)] = (stepId, PendingKind.Attempt);
                continue;
            }

            if (kind == PendingKind.Delay)
            {
                steps[stepId] = steps[stepId] with { Status = StepStatuses.Completed, CompletedAt = now };
                await PublishAsync(context, input, stepId, steps, RunEventTypes.StepStatusChanged(StepStatuses.Completed), null);
                continue;
            }

            var outcome = await (Task<StepOutcome>)done;
            steps.Outputs.Record(stepId, outcome);
            var failure = Settle(context, step, outcome, steps, pending, now, audit);
            if (outcome.Error?.Code is TimeoutCode or StepOutcome.LateCode)
            {
                // The attempt's activity never publishes a timeout: past its deadline, the orchestrator's decision is the step's status.
                var type = steps[stepId].Status == StepStatuses.Failed ? RunEventTypes.StepStatusChanged(StepStatuses.Failed) : RunEventTypes.StepRetrying;
                await PublishAsync(context, input, stepId, steps, type, outcome.Error);
            }

            if (failure is not null)
            {
                status = RunStatuses.Failed;
                error = failure;
                CancelUnfinished(steps, audit, now);
                break;
            }
        }

        var final = new RunProgress(status, steps.Steps, error);
        context.SetCustomStatus(final);
        foreach (var approvalId in gates.Open.Order(StringComparer.Ordinal))
        {
            audit.Approval(approvalId, ApprovalAuditEntry.Voided);
        }

        if (await audit.FinishAsync(status, error?.Code, error?.Message) is { } auditFailure)
        {
            (status, error) = (RunStatuses.Failed, auditFailure);
            final = new RunProgress(status, steps.Steps, error);
            context.SetCustomStatus(final);
        }

        await context.CallActivityAsync(FinishRunActivity.Name, new RunFinish(input.TenantId, input.RunId, status, error, [.. gates.Open.Order(StringComparer.Ordinal)], input.WorkflowId, final.Steps,
            input.Version, live.Wrote ? null : input.RowETag),
            TaskOptions.FromRetryPolicy(new RetryPolicy(5, TimeSpan.FromSeconds(1), 2)));
        return final;
    }

    private static async Task ReuseAsync(TaskOrchestrationContext context, RunOrchestrationInput input, StepTracker steps)
    {
        if (input.Reuse is not { Count: > 0 } reuse)
        {
            return;
        }

        var copies = reuse.Where(r => r.Value.FromRunId != input.RunId && r.Value.Status == StepStatuses.Completed)
            .Select(r => context.CallActivityAsync(ReuseStepActivity.Name, new StepReuse(r.Value.FromRunId, input.RunId, r.Key)));
        await Task.WhenAll(copies);
        foreach (var (stepId, reused) in reuse)
        {
            var from = reused.FromRunId == input.RunId ? null : reused.FromRunId;
            steps[stepId] = new StepProgress(reused.Status, reused.Attempts, reused.StartedAt ?? Now(context), reused.CompletedAt ?? Now(context), null, from);
        }
    }

    /// <summary>Starts every ready step (skipping those that must be skipped) and says whether anything is still pending.</summary>
    private static bool LaunchReadySteps(
        TaskOrchestrationContext context,
        RunOrchestrationInput input,
        WorkflowDefinition definition,
        StepTracker steps,
        Dictionary<Task, (string, PendingKind)> pending,
        Gates gates,
        RunAuditLog audit)
    {
        // Skipping one step can make another ready, so look again until nothing changes.
        for (var changed = true; changed;)
        {
            changed = false;
            foreach (var step in steps.Ready())
            {
                if (steps.MustSkip(step))
                {
                    steps[step.Id] = steps[step.Id] with { Status = StepStatuses.Skipped, CompletedAt = Now(context) };
                    audit.StepSkipped(step.Id, "dependency_not_run");
                    changed = true;
                    continue;
                }

                steps[step.Id] = steps[step.Id] with { Status = StepStatuses.Running, StartedAt = Now(context) };
                pending[Attempt(context, input, step, 1, steps, gates, audit)] = (step.Id, PendingKind.Attempt);
            }
        }

        return pending.Count > 0;
    }

    private static Task<StepOutcome> Attempt(
        TaskOrchestrationContext context, RunOrchestrationInput input, StepDefinition step, int attempt, StepTracker steps, Gates gates, RunAuditLog audit)
    {
        steps[step.Id] = steps[step.Id] with { Attempts = attempt };
        var now = Now(context);
        DateTimeOffset? deadline = step.Timeout is not null && IsoDuration.TryParse(step.Timeout, out var timeout) ? now + timeout : null;
        var execution = new StepExecution(input.RunId, input.TenantId, input.WorkflowId, input.Version, input.StartedAt, step.Id, attempt, now, audit.ExecutionId, deadline, input.TraceParent,
            input.InputJson);

        // An approval's activities read every output they show; a step's attempt gets the small ones its templates read.
        return step.Type == StepTypes.Approval
            ? ApprovalGate.RunAsync(context, execution, steps, gates.Open, gates.Publish, audit)
            : RunAttemptAsync(context, step, execution with { UpstreamOutputs = steps.Outputs.For(step) }, audit);
    }

    private static async Task<StepOutcome> RunAttemptAsync(TaskOrchestrationContext context, StepDefinition step, StepExecution execution, RunAuditLog audit)
    {
        try
        {
            var activity = context.CallActivityAsync<StepOutcome>(ExecuteStepActivity.Name, execution);
            if (step.Timeout is null || !IsoDuration.TryParse(step.Timeout, out var timeout))
            {
                return await activity;
            }

            using var timerCancellation = new CancellationTokenSource();
            var timer = context.CreateTimer(timeout, timerCancellation.Token);
            if (await Task.WhenAny(activity, timer) == activity)
            {
                timerCancellation.Cancel();
                return await activity;
            }

            audit.StepTimedOut(step.Id, execution.Attempt, step.Timeout);
            return StepOutcome.Failed(TimeoutCode, $"Step '{step.Id}' did not finish within {step.Timeout}.", retryable: true);
        }
        catch (TaskFailedException e)
        {
            return StepOutcome.Failed("step_error", e.FailureDetails.ErrorMessage, retryable: true);
        }
    }

    /// <summary>Applies an attempt's outcome; returns the run's error when the failure ends the run.</summary>
    private static RunError? Settle(TaskOrchestrationContext context, StepDefinition step, StepOutcome outcome, StepTracker steps, Dictionary<Task, (string, PendingKind)> pending, DateTimeOffset now, RunAuditLog audit)
    {
        var progress = steps[step.Id];
        switch (outcome.Kind)
        {
            case StepOutcome.CompletedKind:
                steps[step.Id] = progress with { Status = StepStatuses.Completed, CompletedAt = now, Error = null };
                return null;
            case StepOutcome.SkippedKind:
                steps[step.Id] = progress with { Status = StepStatuses.Skipped, CompletedAt = now };
                return null;
            case StepOutcome.DelayKind:
                pending[context.CreateTimer(outcome.Delay ?? TimeSpan.Zero, CancellationToken.None)] = (step.Id, PendingKind.Delay);
                return null;
        }

        var maxAttempts = step.Retry?.MaxAttempts ?? 1;
        if (outcome.Retryable && progress.Attempts < maxAttempts)
        {
            var delay = step.Retry!.GetDelay(progress.Attempts);
            if (outcome.RetryAfter is { } asked && asked > delay)
            {
                delay = asked;
            }

            steps[step.Id] = progress with { Error = outcome.Error };
            audit.StepRetrying(step.Id, progress.Attempts, delay, outcome.Error?.Code);
            pending[context.CreateTimer(delay, CancellationToken.None)] = (step.Id, PendingKind.Backoff);
            return null;
        }

        steps[step.Id] = progress with { Status = StepStatuses.Failed, CompletedAt = now, Error = outcome.Error };
        if (step.OnFailure == OnFailurePolicy.Continue)
        {
            return null;
        }

        return outcome.Error?.Code == SettleApprovalActivity.RejectedCode
            ? new RunError(SettleApprovalActivity.RejectedCode, outcome.Error.Message)
            : new RunError("step_failed", $"Step '{step.Id}' failed: {outcome.Error?.Message}");
    }

    // Retried durably so that an event outlives a storage outage; an event that still cannot be written never fails the run.
    private static async Task PublishAsync(TaskOrchestrationContext context, RunOrchestrationInput input, string stepId, StepTracker steps, string type, RunError? error)
    {
        try
        {
            await context.CallActivityAsync(PublishStepEventActivity.Name, new StepSettled(input.RunId, stepId, steps[stepId].Attempts, type, error, input.TenantId),
                TaskOptions.FromRetryPolicy(new RetryPolicy(5, TimeSpan.FromSeconds(1), 2)));
        }
        catch (TaskFailedException)
        {
            // The event log's own retries and these ran out; the run's record and audit still hold the step's status.
        }
    }

    private static void CancelUnfinished(StepTracker steps, RunAuditLog audit, DateTimeOffset now)
    {
        foreach (var (stepId, _) in steps.Steps.Where(s => !StepStatuses.IsFinal(s.Value.Status)).ToList())
        {
            audit.StepCancelled(stepId);
        }

        steps.CancelUnfinished(now);
    }

    private static DateTimeOffset Now(TaskOrchestrationContext context) => new(context.CurrentUtcDateTime, TimeSpan.Zero);

    /// <summary>The gates still waiting (by approval id) and how a gate publishes progress.</summary>
    private sealed record Gates(HashSet<string> Open, Func<Task> Publish);

    private enum PendingKind
    {
        Attempt,
        Backoff,
        Delay,
    }
}
