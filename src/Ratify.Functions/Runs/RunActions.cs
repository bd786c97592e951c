using System.Text.Json.Nodes;
using Ratify.Connectors;
using Ratify.Functions.Audit;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Ratify.Functions.Orchestration;
using Ratify.Functions.Workflows;

namespace Ratify.Functions.Runs;

/// <summary>Controls runs: pause, resume, cancel, retry and replay, each refused with a reason when it does not fit the run's state.</summary>
/// <remarks>
/// Pause, resume and cancel are messages to the orchestration; each call waits briefly for the orchestration to take the
/// change (<see cref="SettleTimeout"/>) so that the answer reports the new state, and reports <c>Settled = false</c> otherwise.
/// </remarks>
public sealed class RunActions(
    RunStore runs,
    WorkflowStore workflows,
    RunLauncher launcher,
    DurableTaskClient client,
    ConnectorCatalog connectors,
    ApprovalReuseCheck approvalReuse,
    AuditTrail audit,
    RunCancellations cancellations,
    TimeProvider time)
{
    /// <summary>How long an action waits for the orchestration to take it: 5 seconds.</summary>
    public static readonly TimeSpan SettleTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Suspends a running run (or one waiting for an approval).</summary>
    public async Task<(LiveRun Run, bool Settled)> PauseAsync(LiveRun run, string? reason, AuditActor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (run.Status is not (RunStatuses.Running or RunStatuses.WaitingApproval))
        {
            throw new RunConflictException($"Run {run.RunId} is {run.Status}; only running runs or runs waiting for an approval can be paused.");
        }

        NeedsOrchestration(run, "paused");

        await client.SuspendInstanceAsync(run.RunId, reason, cancellationToken).WaitAsync(cancellationToken).ConfigureAwait(false);
        await RecordAsync(run, AuditTypes.RunPaused, actor, reason).ConfigureAwait(false);
        var after = await WaitAsync(run, r => r.Status == RunStatuses.Paused || RunStatuses.IsTerminal(r.Status), cancellationToken).ConfigureAwait(false);

        // Listings read the Runs table; a run that finished meanwhile records its own end.
        if (!RunStatuses.IsTerminal(after.Status))
        {
            await runs.UpdateStatusAsync(run.Record.TenantId, run.RunId, RunStatuses.Paused, null, null, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        return (after, after.Status == RunStatuses.Paused);
    }

    /// <summary>Resumes a paused run.</summary>
    public async Task<(LiveRun Run, bool Settled)> ResumeAsync(LiveRun run, string? reason, AuditActor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (run.Status != RunStatuses.Paused)
        {
            throw new RunConflictException($"Run {run.RunId} is {run.Status}; only paused runs can be resumed.");
        }

        NeedsOrchestration(run, "resumed");

        await client.ResumeInstanceAsync(run.RunId, reason, cancellationToken).WaitAsync(cancellationToken).ConfigureAwait(false);
        await RecordAsync(run, AuditTypes.RunResumed, actor, reason).ConfigureAwait(false);
        var after = await WaitAsync(run, r => r.Status != RunStatuses.Paused, cancellationToken).ConfigureAwait(false);
        var settled = after.Status != RunStatuses.Paused;
        if (!RunStatuses.IsTerminal(after.Status))
        {
            await runs.UpdateStatusAsync(run.Record.TenantId, run.RunId, settled ? after.Status : RunStatuses.Running, null, null, cancellationToken: cancellationToken)
                .ConfigureAwait(false);
        }

        return (after, settled);
    }

    /// <summary>Cancels a run that has not finished; a paused run is resumed so that it can take the cancellation.</summary>
    public async Task<(LiveRun Run, bool Settled)> CancelAsync(LiveRun run, string? reason, AuditActor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (RunStatuses.IsTerminal(run.Status))
        {
            throw new RunConflictException($"Run {run.RunId} is {run.Status}; only runs that have not finished can be cancelled.");
        }

        var error = new RunError("cancelled", reason ?? "The run was cancelled.");
        if (run.RuntimeStatus is null)
        {
            // No orchestration to tell: the row is all there is.
            await runs.UpdateStatusAsync(run.Record.TenantId, run.RunId, RunStatuses.Cancelled, time.GetUtcNow(), error, cancellationToken: cancellationToken).ConfigureAwait(false);
            await RecordAsync(run, AuditTypes.RunCancelRequested, actor, reason).ConfigureAwait(false);
            return (run with { Status = RunStatuses.Cancelled, Error = error, CompletedAt = time.GetUtcNow() }, true);
        }

        if (run.Status == RunStatuses.Paused)
        {
            await client.ResumeInstanceAsync(run.RunId, "resumed to be cancelled", cancellationToken).WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        await client.RaiseEventAsync(run.RunId, RunOrchestrator.CancelEvent, new CancelRequest(reason), cancellationToken).WaitAsync(cancellationToken).ConfigureAwait(false);
        await RecordAsync(run, AuditTypes.RunCancelRequested, actor, reason).ConfigureAwait(false);

        // Attempts still executing stop now rather than at their timeout; not cancellable, as the cancel took effect.
        await cancellations.CancelAsync(run.RunId, time.GetUtcNow(), CancellationToken.None).ConfigureAwait(false);

        // Until the orchestration has recorded its end, a retry would be refused: wait for that, not only for the status.
        var after = await WaitAsync(run, r => RunStatuses.IsTerminal(r.Status) && r.IsSettled, cancellationToken).ConfigureAwait(false);
        return (after, RunStatuses.IsTerminal(after.Status));
    }

    /// <summary>Runs a failed or cancelled run again under the same id, reusing every step that completed or was skipped.</summary>
    public async Task<LiveRun> RetryAsync(LiveRun run, AuditActor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (run.Status is not (RunStatuses.Failed or RunStatuses.Cancelled))
        {
            throw new RunConflictException($"Run {run.RunId} is {run.Status}; only failed or cancelled runs can be retried.");
        }

        if (!run.IsSettled)
        {
            // The final status is published just before the orchestration records it and ends: usually a matter of milliseconds.
            run = await WaitAsync(run, r => r.IsSettled, cancellationToken).ConfigureAwait(false);
            if (!run.IsSettled)
            {
                throw new RunConflictException($"Run {run.RunId} is {run.Status} but its orchestration is still finishing; retry it in a moment.");
            }
        }

        var workflow = await workflows.GetAsync(run.Record.TenantId, run.Record.WorkflowId, run.Record.Version, cancellationToken).ConfigureAwait(false);
        var reuse = RunView.RecordedSteps(run)
            .Where(s => s.Value.Status is StepStatuses.Completed or StepStatuses.Skipped)
            .ToDictionary(s => s.Key, s => new ReusedStep(run.RunId, s.Value.Status, s.Value.Attempts, s.Value.StartedAt, s.Value.CompletedAt), StringComparer.Ordinal);
        await launcher.RelaunchAsync(run.Record, workflow, reuse, cancellationToken).ConfigureAwait(false);
        await RecordAsync(run, AuditTypes.RunRetried, actor, null, new JsonObject
        {
            ["reusedSteps"] = new JsonArray([.. reuse.Keys.Order(StringComparer.Ordinal).Select(k => (JsonNode)k)]),
        }).ConfigureAwait(false);
        return run with { Status = RunStatuses.Running, RuntimeStatus = OrchestrationRuntimeStatus.Pending, Progress = null, Error = null, CompletedAt = null };
    }

    /// <summary>Plans a replay of a finished run from one step and, unless it is a dry run, starts it as a new run.</summary>
    /// <exception cref="ArgumentException">The step is not in the run's workflow version (check with <see cref="HasStep"/> first).</exception>
    public async Task<ReplayOutcome> ReplayAsync(LiveRun run, StoredWorkflow workflow, ReplayRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(workflow);
        ArgumentNullException.ThrowIfNull(request);
        if (!RunStatuses.IsTerminal(run.Status))
        {
            throw new RunConflictException(
                $"Run {run.RunId} is {run.Status}; only finished runs can be replayed, so that the replay reuses settled results (cancel it first).");
        }

        var input = request.Input ?? run.Record.Input;
        var pinned = await launcher.PrepareAsync(run.Record.TenantId, run.Record.WorkflowId, run.Record.Version, input, cancellationToken).ConfigureAwait(false);
        var recorded = RunView.RecordedSteps(run);
        var gates = await approvalReuse.CheckAsync(run.Record.TenantId, run.RunId, recorded, cancellationToken).ConfigureAwait(false);
        var plan = ReplayPlanner.Plan(pinned.Definition, request.FromStep, run.RunId, recorded,
            step => ReplayPlanner.SideEffectOf(step, connectors), request.RerunIrreversible, gates);
        if (request.DryRun)
        {
            return new ReplayOutcome(plan, null);
        }

        if (plan.WouldRefuse.Count > 0)
        {
            var named = string.Join(", ", plan.WouldRefuse.Select(id => $"'{id}'"));
            throw new RunConflictException(
                $"Replaying run {run.RunId} from '{request.FromStep}' would execute again {named}, which completed with an irreversible side effect; " +
                "send \"rerunIrreversible\": true to run them again, or replay from a later step.");
        }

        var started = await launcher.LaunchAsync(pinned, new RunLaunch(run.Record.TenantId, input, request.CreatedBy, ReplayOf: run.RunId, Reuse: plan.Reuse), cancellationToken)
            .ConfigureAwait(false);
        await RecordAsync(run, AuditTypes.RunReplayed, AuditActor.Key(request.CreatedBy), null, new JsonObject
        {
            ["replayRunId"] = started.RunId,
            ["fromStep"] = request.FromStep,
            ["inputChanged"] = request.Input is not null,
        }).ConfigureAwait(false);
        return new ReplayOutcome(plan, started);
    }

    /// <summary>Whether <paramref name="stepId"/> is a step of <paramref name="workflow"/>.</summary>
    public static bool HasStep(StoredWorkflow workflow, string? stepId) =>
        stepId is not null && workflow.Definition.Steps.Any(s => s.Id == stepId);

    private static void NeedsOrchestration(LiveRun run, string action)
    {
        if (run.RuntimeStatus is null)
        {
            throw new RunConflictException($"Run {run.RunId} has no orchestration any more (it was purged), so it cannot be {action}; cancel it instead.");
        }
    }

    /// <summary>
    /// Records an action once the runtime has accepted it. Not cancellable: the action took effect, its record must follow.
    /// </summary>
    private async Task RecordAsync(LiveRun run, string type, AuditActor actor, string? reason, JsonObject? data = null)
    {
        data ??= [];
        data["reason"] = reason;
        await audit.AppendAsync(AuditScopes.Run(run.Record.TenantId, run.RunId), type, actor, data, cancellationToken: CancellationToken.None).ConfigureAwait(false);
    }

    private async Task<LiveRun> WaitAsync(LiveRun run, Func<LiveRun, bool> done, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + SettleTimeout;
        var delay = TimeSpan.FromMilliseconds(20);
        var current = run;
        while (true)
        {
            var instance = await client.GetInstanceAsync(run.RunId, cancellation: cancellationToken).WaitAsync(cancellationToken).ConfigureAwait(false);
            current = LiveRun.Of(run.Record, instance);
            if (done(current) || time.GetUtcNow() >= deadline)
            {
                return current;
            }

            await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 200));
        }
    }
}
