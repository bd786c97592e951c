using System.Text.Json.Nodes;
using Ratify.Functions.Runs;

namespace Ratify.Functions.Triggers;

/// <summary>Starts the run of a trigger event (a schedule's tick, a signed delivery) under an id derived from the event, at most once.</summary>
/// <remarks>
/// The run id is the event's identity: the run row is inserted under it, so of two hosts (or two deliveries) starting the
/// same event one insert wins and the other finds the winner's row and returns its id.
/// </remarks>
public sealed class TriggeredRunLauncher(RunLauncher launcher, RunStore runs)
{
    /// <summary>Starts the run <paramref name="runId"/>, or finds it when this event already started it.</summary>
    /// <returns>The run id, and whether this call started it.</returns>
    /// <exception cref="Workflows.WorkflowNotFoundException">No such workflow or version.</exception>
    /// <exception cref="Workflows.WorkflowArchivedException">The workflow is archived.</exception>
    /// <exception cref="RunInputException">The input breaks the workflow's schema.</exception>
    public async Task<(string RunId, bool Started)> StartAsync(
        string tenantId, string workflowId, int? version, JsonNode? input, string createdBy, string runId, CancellationToken cancellationToken = default)
    {
        if (await runs.GetAsync(tenantId, runId, cancellationToken).ConfigureAwait(false) is not null)
        {
            return (runId, false);
        }

        var workflow = await launcher.PrepareAsync(tenantId, workflowId, version, input, cancellationToken).ConfigureAwait(false);
        try
        {
            await launcher.LaunchAsync(workflow, new RunLaunch(tenantId, input, createdBy, runId), cancellationToken).ConfigureAwait(false);
            return (runId, true);
        }
        catch (Exception)
        {
            // Another host inserted the same run first (or this one wrote it and then failed to schedule it, which marked it failed).
            if (await runs.GetAsync(tenantId, runId, CancellationToken.None).ConfigureAwait(false) is not null)
            {
                return (runId, false);
            }

            throw;
        }
    }
}
