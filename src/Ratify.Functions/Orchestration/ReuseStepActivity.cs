using Microsoft.DurableTask;
using Ratify.Functions.Runs;

namespace Ratify.Functions.Orchestration;

/// <summary>Copies a recorded step's output and artifacts into a replaying run, so the new run is complete on its own.</summary>
public sealed class ReuseStepActivity(StepResultStore results) : TaskActivity<StepReuse, bool>
{
    public const string Name = nameof(ReuseStepActivity);

    public override async Task<bool> RunAsync(TaskActivityContext context, StepReuse input)
    {
        await results.CopyStepAsync(input.FromRunId, input.ToRunId, input.StepId).ConfigureAwait(false);
        return true;
    }
}
