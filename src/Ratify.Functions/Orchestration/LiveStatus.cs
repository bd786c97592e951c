using Microsoft.DurableTask;
using Ratify.Functions.Runs;

namespace Ratify.Functions.Orchestration;

/// <summary>
/// Publishes a running run's progress: <c>waiting_approval</c> while a gate waits and no other step runs, else <c>running</c>.
/// The custom status carries it at once; when it changes, the Runs table is told too, so that listings filter by it.
/// </summary>
/// <remarks>
/// Deterministic. Table writes are chained, so two changes never reach the table out of order; the steps launched before a write
/// are already scheduled, so waiting for it delays no step.
/// </remarks>
internal sealed class LiveStatus(TaskOrchestrationContext context, RunOrchestrationInput input, StepTracker steps)
{
    private static readonly TaskOptions Retry = TaskOptions.FromRetryPolicy(new RetryPolicy(5, TimeSpan.FromSeconds(1), 2));

    // The launcher writes the row as running before the orchestration starts.
    private string _written = RunStatuses.Running;
    private Task _writing = Task.CompletedTask;

    /// <summary>Whether the run's row was written since the start (its ETag from the start is then stale).</summary>
    public bool Wrote { get; private set; }

    public Task PublishAsync()
    {
        var statuses = steps.Steps.Values.Select(s => s.Status).ToList();
        var status = !statuses.Contains(StepStatuses.Running) && statuses.Contains(StepStatuses.WaitingApproval)
            ? RunStatuses.WaitingApproval
            : RunStatuses.Running;
        context.SetCustomStatus(new RunProgress(status, steps.Steps, null));
        if (status != _written)
        {
            _written = status;
            Wrote = true;
            _writing = WriteAfterAsync(_writing, status);
        }

        return _writing;
    }

    /// <summary>Writes after the previous write, so that a gate and the main loop publishing at once still write in order.</summary>
    private async Task WriteAfterAsync(Task previous, string status)
    {
        await previous;
        await context.CallActivityAsync<bool>(SetRunStatusActivity.Name, new RunStatusChange(input.TenantId, input.RunId, status), Retry);
    }
}
