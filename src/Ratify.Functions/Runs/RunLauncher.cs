using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.DurableTask;
using DurableTask.Core.Exceptions;
using Microsoft.DurableTask.Client;
using Ratify.Functions.Orchestration;
using Ratify.Functions.Workflows;

namespace Ratify.Functions.Runs;

/// <summary>The one place that starts runs (API, retry, replay, triggers): checks the start, writes the run row, schedules its orchestration.</summary>
/// <remarks>
/// The orchestration instance id is the run id. The row is written before the orchestration is scheduled, and a run
/// whose scheduling fails is marked failed at once, so that no row ever looks alive without an orchestration behind it.
/// </remarks>
public sealed partial class RunLauncher(WorkflowStore workflows, RunStore runs, DurableTaskClient client, TimeProvider time, ILogger<RunLauncher> logger)
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
        await runs.CreateAsync(run, cancellationToken).ConfigureAwait(false);
        await ScheduleAsync(run, workflow, now, launch.Reuse).ConfigureAwait(false);
        return run;
    }

    /// <summary>Schedules a finished run's orchestration again under the same id (a retry), reopening its row first.</summary>
    /// <exception cref="RunConflictException">Another retry of the run won the race.</exception>
    public async Task RelaunchAsync(RunRecord run, StoredWorkflow workflow, IReadOnlyDictionary<string, ReusedStep> reuse, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);

        // Reopened before scheduling: the new execution may finish and write its final status before this call returns.
        await runs.UpdateStatusAsync(run.TenantId, run.RunId, RunStatuses.Running, null, null, reopen: true, cancellationToken).ConfigureAwait(false);

        // The original start time, so that {{run.startedAt}} renders as it did in the first execution.
        await ScheduleAsync(run, workflow, run.CreatedAt, reuse).ConfigureAwait(false);
    }

    /// <summary>The stored definition as the orchestration reads it.</summary>
    public static JsonObject DefinitionJson(WorkflowDefinition definition) =>
        JsonSerializer.SerializeToNode(definition, WorkflowJson.Options)!.AsObject();

    private async Task ScheduleAsync(RunRecord run, StoredWorkflow workflow, DateTimeOffset startedAt, IReadOnlyDictionary<string, ReusedStep>? reuse)
    {
        var input = new RunOrchestrationInput(run.RunId, run.TenantId, workflow.Id, workflow.Version, DefinitionJson(workflow.Definition), startedAt, reuse);
        try
        {
            // Not cancellable: once the row exists, the caller leaving must not leave it half-started.
            await client.ScheduleNewOrchestrationInstanceAsync(RunOrchestrator.Name, input, new StartOrchestrationOptions(run.RunId), CancellationToken.None)
                .ConfigureAwait(false);
        }
        catch (OrchestrationAlreadyExistsException)
        {
            throw new RunConflictException($"Run {run.RunId} is already running again: another request restarted it.");
        }
        catch (Exception e)
        {
            LogScheduleFailed(logger, e, run.RunId);
            var error = new RunError(StartFailedCode, "The run's orchestration could not be scheduled; retry the run.");
            await runs.UpdateStatusAsync(run.TenantId, run.RunId, RunStatuses.Failed, time.GetUtcNow(), error, cancellationToken: CancellationToken.None)
                .ConfigureAwait(false);
            throw;
        }
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Error, Message = "Scheduling the orchestration of run {RunId} failed; the run is marked failed")]
    private static partial void LogScheduleFailed(ILogger logger, Exception exception, string runId);
}
