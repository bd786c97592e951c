using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.DurableTask;
using DurableTask.Core.Exceptions;
using Microsoft.DurableTask.Client;
using Ratify.Functions.Audit;
using Ratify.Functions.Orchestration;
using Ratify.Functions.Storage;
using Ratify.Functions.Telemetry;
using Ratify.Functions.Workflows;

namespace Ratify.Functions.Runs;

/// <summary>The one place that starts runs (API, retry, replay, triggers): checks the start, writes the run row, schedules its orchestration.</summary>
/// <remarks>
/// The orchestration instance id is the run id. The row is written before the orchestration is scheduled, and a run
/// whose scheduling fails is marked failed at once, so that no row ever looks alive without an orchestration behind it.
/// When storage stops answering in between, the caller's deadline ends the wait and the start is settled in the background
/// once storage answers again: the orchestration exists, or the run is marked failed. A start reserved by an
/// Idempotency-Key is finished by the retry instead (<see cref="CompleteStartAsync"/>).
/// </remarks>
public sealed partial class RunLauncher(
    WorkflowStore workflows, RunStore runs, RunStartNotes startNotes, DurableTaskClient client, AuditTrail audit, TimeProvider time, ILogger<RunLauncher> logger)
{
    /// <summary>The error code of a run whose orchestration could not be scheduled.</summary>
    public const string StartFailedCode = "start_failed";

    /// <summary>Checks a start without writing anything: the workflow (version) exists, is not archived, and the input fits its schema.</summary>
    /// <exception cref="WorkflowNotFoundException">No such workflow or version in this tenant.</exception>
    /// <exception cref="WorkflowArchivedException">The workflow is archived: it starts no new runs.</exception>
    /// <exception cref="RunInputException">The input breaks the schema.</exception>
    public async Task<StoredWorkflow> PrepareAsync(string tenantId, string workflowId, int? version, JsonNode? input, CancellationToken cancellationToken = default)
    {
        var workflow = await workflows.GetAsync(tenantId, workflowId, version, cancellationToken).ConfigureAwait(false);
        if (workflow.Workflow.Archived)
        {
            throw new WorkflowArchivedException(workflowId);
        }

        var errors = InputValidator.Validate(workflow.Definition.InputSchema, input);
        return errors.Count > 0 ? throw new RunInputException(workflowId, errors) : workflow;
    }

    /// <summary>Writes the run row (status <c>running</c>) and schedules the orchestration of <paramref name="workflow"/>.</summary>
    public async Task<RunRecord> LaunchAsync(StoredWorkflow workflow, RunLaunch launch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        ArgumentNullException.ThrowIfNull(launch);
        var now = time.GetUtcNow();
        var run = new RunRecord(launch.RunId ?? RunIds.New(now), launch.TenantId, workflow.Id, workflow.Version, RunStatuses.Running,
            launch.Input?.DeepClone(), now, null, null, launch.ReplayOf, launch.CreatedBy);
        KnownRunRow? row;
        try
        {
            // Noted first: a host that stops after writing the row leaves the note for the recovery to find.
            await startNotes.NoteAsync(run.TenantId, run.RunId, cancellationToken).ConfigureAwait(false);

            // A reserved id's row may exist already: a retry of the same idempotent request wrote it first.
            row = await runs.TryCreateAsync(run, cancellationToken, StepIds(workflow)).ConfigureAwait(false);
            if (row is null && launch.RunId is null)
            {
                throw new RunConflictException($"Run {run.RunId} already exists.");
            }
        }
        catch (Exception e) when (StorageOutage.IsOutage(e))
        {
            // The row may still be written when storage answers again: it must not stay "running" with nothing behind it.
            _ = SettleInterruptedStartAsync(run, scheduling: null);
            throw;
        }

        await RecordStartAsync(run, launch, newRun: true).ConfigureAwait(false);
        await ScheduleAsync(run, workflow, now, launch.Reuse, existingIsOurs: true, row, cancellationToken).ConfigureAwait(false);
        return run;
    }

    /// <summary>
    /// Finishes a start reserved under <see cref="RunLaunch.RunId"/> that an outage or a dead host cut short: writes the row if
    /// it is missing and schedules the orchestration if there is none. Any number of concurrent calls give one run.
    /// </summary>
    public async Task<RunRecord> CompleteStartAsync(StoredWorkflow workflow, RunLaunch launch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        ArgumentNullException.ThrowIfNull(launch);
        var runId = launch.RunId ?? throw new ArgumentException("A start is completed under its reserved run id.", nameof(launch));
        await startNotes.NoteAsync(launch.TenantId, runId, cancellationToken).ConfigureAwait(false);
        var run = await runs.GetAsync(launch.TenantId, runId, cancellationToken).ConfigureAwait(false);
        KnownRunRow? row = null;
        if (run is null)
        {
            var now = time.GetUtcNow();
            var fresh = new RunRecord(runId, launch.TenantId, workflow.Id, workflow.Version, RunStatuses.Running,
                launch.Input?.DeepClone(), now, null, null, launch.ReplayOf, launch.CreatedBy);
            row = await runs.TryCreateAsync(fresh, cancellationToken, StepIds(workflow)).ConfigureAwait(false);
            if (row is null)
            {
                // Written meanwhile by the first request, whose write reached storage late.
                run = await runs.GetAsync(launch.TenantId, runId, cancellationToken).ConfigureAwait(false);
            }

            run ??= fresh;
        }

        var instance = await client.GetInstanceAsync(runId, cancellation: cancellationToken).WaitAsync(cancellationToken).ConfigureAwait(false);
        if (instance is not null)
        {
            return run;
        }

        if (run.Error?.Code == StartFailedCode)
        {
            // Marked failed because its orchestration never appeared: this retry is the start the caller asked for.
            row = await runs.UpdateStatusAsync(run.TenantId, runId, RunStatuses.Running, null, null, reopen: true, cancellationToken).ConfigureAwait(false);
            run = run with { Status = RunStatuses.Running, Error = null, CompletedAt = null };
        }

        // The start record has a fixed id: a start that recorded it before it was cut short appends nothing new.
        await RecordStartAsync(run, launch, newRun: false).ConfigureAwait(false);
        await ScheduleAsync(run, workflow, run.CreatedAt, launch.Reuse, existingIsOurs: true, row, cancellationToken).ConfigureAwait(false);
        return run;
    }

    /// <summary>Schedules a finished run's orchestration again under the same id (a retry), reopening its row first.</summary>
    /// <exception cref="RunConflictException">Another retry of the run won the race.</exception>
    public async Task RelaunchAsync(RunRecord run, StoredWorkflow workflow, IReadOnlyDictionary<string, ReusedStep> reuse, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);

        // Reopened before scheduling: the new execution may finish and write its final status before this call returns.
        await startNotes.NoteAsync(run.TenantId, run.RunId, cancellationToken).ConfigureAwait(false);
        var row = await runs.UpdateStatusAsync(run.TenantId, run.RunId, RunStatuses.Running, null, null, reopen: true, cancellationToken).ConfigureAwait(false);

        // The original start time, so that {{run.startedAt}} renders as it did in the first execution.
        await ScheduleAsync(run, workflow, run.CreatedAt, reuse, existingIsOurs: false, row, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The stored definition as the orchestration reads it.</summary>
    public static JsonObject DefinitionJson(WorkflowDefinition definition) =>
        JsonSerializer.SerializeToNode(definition, WorkflowJson.Options)!.AsObject();

    /// <param name="existingIsOurs">Whether an orchestration that already exists is this start's own (a fresh run id that a
    /// retry of the same idempotent request scheduled first), rather than another request's restart.</param>
    /// <param name="row">The run's row as this start wrote it (status running), when it did: the run's end then writes it without a read.</param>
    private async Task ScheduleAsync(
        RunRecord run, StoredWorkflow workflow, DateTimeOffset startedAt, IReadOnlyDictionary<string, ReusedStep>? reuse, bool existingIsOurs, KnownRunRow? row,
        CancellationToken cancellationToken)
    {
        using var span = RunTracing.StartRun(run);
        var input = new RunOrchestrationInput(run.RunId, run.TenantId, workflow.Id, workflow.Version, DefinitionJson(workflow.Definition), startedAt, reuse, span?.Id,
            InputJson: RunOrchestrationInput.CarryInput(run.Input), RowETag: row is { Status: RunStatuses.Running } ? row.ETag : null);

        // Not cancelled itself: once the row exists, the scheduling goes on even when the caller stops waiting for it.
        var scheduling = client.ScheduleNewOrchestrationInstanceAsync(RunOrchestrator.Name, input, new StartOrchestrationOptions(run.RunId), CancellationToken.None);
        try
        {
            await scheduling.WaitAsync(cancellationToken).ConfigureAwait(false);
            RunMetrics.RunStarted(workflow.Id);
            ClearStartNote(run.RunId);
        }
        catch (OrchestrationAlreadyExistsException) when (existingIsOurs)
        {
            // Another request of the same idempotent start scheduled it: the run exists once.
            ClearStartNote(run.RunId);
        }
        catch (OrchestrationAlreadyExistsException)
        {
            throw new RunConflictException($"Run {run.RunId} is already running again: another request restarted it.");
        }
        catch (Exception e) when (StorageOutage.IsOutage(e))
        {
            _ = SettleInterruptedStartAsync(run, scheduling);
            throw;
        }
        catch (Exception e)
        {
            await FailStartAsync(run, e).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Runs in the background after an outage cut a start short: once storage answers (the storage client's retries wait for
    /// it), a run row without an orchestration is marked failed, so that it never looks alive with nothing behind it.
    /// </summary>
    private async Task SettleInterruptedStartAsync(RunRecord run, Task? scheduling)
    {
        try
        {
            if (scheduling is not null)
            {
                try
                {
                    await scheduling.ConfigureAwait(false);
                    return;
                }
                catch (OrchestrationAlreadyExistsException)
                {
                    return;
                }
                catch (Exception e) when (StorageOutage.IsOutage(e))
                {
                    // Still unknown whether it went through: look.
                }
            }

            if (await client.GetInstanceAsync(run.RunId).ConfigureAwait(false) is not null
                || await runs.GetAsync(run.TenantId, run.RunId).ConfigureAwait(false) is not { Status: RunStatuses.Running })
            {
                return;
            }

            LogStartInterrupted(logger, run.RunId);
            var error = new RunError(StartFailedCode, "Storage became unavailable while the run was starting; start it again.");
            await runs.UpdateStatusAsync(run.TenantId, run.RunId, RunStatuses.Failed, time.GetUtcNow(), error).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            LogSettleFailed(logger, e, run.RunId);
        }
    }

    /// <summary>Deletes the start's note without waiting: one left behind is cleared by the recovery, which finds the orchestration.</summary>
    private void ClearStartNote(string runId) => _ = startNotes.ClearAsync(runId).ContinueWith(
        t => LogNoteNotCleared(logger, t.Exception!, runId), CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);

    private static List<string> StepIds(StoredWorkflow workflow) => [.. workflow.Definition.Steps.Select(s => s.Id)];

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Run {RunId} was cut short by a storage outage before its orchestration was scheduled; the run is marked failed")]
    private static partial void LogStartInterrupted(ILogger logger, string runId);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Warning, Message = "The start note of run {RunId} was not deleted; the start recovery deletes it later")]
    private static partial void LogNoteNotCleared(ILogger logger, Exception exception, string runId);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Error, Message = "Settling run {RunId} after a storage outage failed; its row may say running without an orchestration")]
    private static partial void LogSettleFailed(ILogger logger, Exception exception, string runId);

    /// <summary>Records the start in the run's audit chain before anything runs; a run whose start cannot be recorded does not start.</summary>
    /// <param name="newRun">The run row was just created: its chain cannot exist yet, so its head is not read first.</param>
    private async Task RecordStartAsync(RunRecord run, RunLaunch launch, bool newRun)
    {
        var data = new JsonObject
        {
            ["workflowId"] = run.WorkflowId,
            ["version"] = run.Version,
            ["inputSha256"] = JsonCanonicalizer.Sha256(run.Input),
            ["replayOf"] = run.ReplayOf,
            ["reusedSteps"] = launch.Reuse is { Count: > 0 } reuse ? new JsonArray([.. reuse.Keys.Order(StringComparer.Ordinal).Select(k => (JsonNode)k)]) : null,
        };
        try
        {
            var scope = AuditScopes.Run(run.TenantId, run.RunId);
            var actor = launch.Actor ?? AuditActor.Key(launch.CreatedBy);
            _ = newRun
                ? await audit.StartChainAsync(scope, AuditTypes.RunStarted, actor, data, "run.started", CancellationToken.None).ConfigureAwait(false)
                : await audit.AppendAsync(scope, AuditTypes.RunStarted, actor, data, "run.started", CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (StorageOutage.IsOutage(e))
        {
            _ = SettleInterruptedStartAsync(run, scheduling: null);
            throw;
        }
        catch (Exception e)
        {
            await FailStartAsync(run, e).ConfigureAwait(false);
            throw;
        }
    }

    private async Task FailStartAsync(RunRecord run, Exception e)
    {
        LogScheduleFailed(logger, e, run.RunId);
        var error = new RunError(StartFailedCode, "The run's orchestration could not be scheduled; retry the run.");
        await runs.UpdateStatusAsync(run.TenantId, run.RunId, RunStatuses.Failed, time.GetUtcNow(), error, cancellationToken: CancellationToken.None)
            .ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Error, Message = "Starting run {RunId} failed (recording its start or scheduling its orchestration); the run is marked failed")]
    private static partial void LogScheduleFailed(ILogger logger, Exception exception, string runId);
}
