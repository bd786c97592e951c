using Microsoft.DurableTask;
using Ratify.Functions.Runs;

namespace Ratify.Functions.Orchestration;

/// <summary>
/// Writes the run's live status to the Runs table, where listings read it (<c>GET /v1/runs?status=waiting_approval</c>), as the
/// run moves between running and waiting for an approval. A paused or finished row is left alone: those are written by their own
/// actions, and an update that arrives late must not undo them.
/// </summary>
public sealed class SetRunStatusActivity(RunStore runs) : TaskActivity<RunStatusChange, bool>
{
    public const string Name = nameof(SetRunStatusActivity);

    private static readonly string[] Live = [RunStatuses.Pending, RunStatuses.Running, RunStatuses.WaitingApproval];

    public override async Task<bool> RunAsync(TaskActivityContext context, RunStatusChange input)
    {
        ArgumentNullException.ThrowIfNull(input);
        await runs.UpdateStatusAsync(input.TenantId, input.RunId, input.Status, null, null, onlyFrom: Live).ConfigureAwait(false);
        return true;
    }
}
