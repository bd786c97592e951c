using Microsoft.DurableTask;
using Ratify.Functions.Orchestration;

namespace Ratify.Functions.Tests.Orchestration;

/// <summary>The context the runtime gives a step activity, for tests that run the activity directly.</summary>
internal sealed class StepActivityContext(string runId) : TaskActivityContext
{
    public override TaskName Name => new(ExecuteStepActivity.Name);

    public override string InstanceId => runId;
}
