using Microsoft.DurableTask;
using Ratify.Functions.Runs;

namespace Ratify.Functions.Orchestration;

/// <summary>Records a run's final status in the Runs table, where listings read it.</summary>
public sealed class FinishRunActivity(RunStore runs, TimeProvider time) : TaskActivity<RunFinish, bool>
{
    public const string Name = nameof(FinishRunActivity);

    public override async Task<bool> RunAsync(TaskActivityContext context, RunFinish input)
    {
        await runs.UpdateStatusAsync(input.TenantId, input.RunId, input.Status, time.GetUtcNow(), input.Error).ConfigureAwait(false);
        return true;
    }
}
