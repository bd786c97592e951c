using Microsoft.DurableTask;
using Ratify.Functions.Events;

namespace Ratify.Functions.Orchestration;

/// <summary>Publishes a step event that no step activity can: the end of a delay, or an attempt the orchestrator timed out.</summary>
public sealed class PublishStepEventActivity(RunEventPublisher events) : TaskActivity<StepSettled, bool>
{
    /// <summary>The activity name.</summary>
    public const string Name = nameof(PublishStepEventActivity);

    /// <inheritdoc />
    public override async Task<bool> RunAsync(TaskActivityContext context, StepSettled input)
    {
        ArgumentNullException.ThrowIfNull(input);
        await events.StepSettledAsync(input).ConfigureAwait(false);
        return true;
    }
}
