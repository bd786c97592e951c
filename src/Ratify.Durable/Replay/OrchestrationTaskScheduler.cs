namespace Ratify.Durable.Replay;

/// <summary>
/// Runs orchestrator continuations one at a time, in the order they became ready, on the thread that
/// drains it: this is what makes replay deterministic.
/// </summary>
internal sealed class OrchestrationTaskScheduler : TaskScheduler
{
    private readonly Queue<Task> _ready = new();
    private readonly Lock _gate = new();

    /// <summary>Starts <paramref name="run"/> on this scheduler (it runs at the next <see cref="Drain"/>).</summary>
    public Task<T> Start<T>(Func<Task<T>> run) =>
        Task.Factory.StartNew(run, CancellationToken.None, TaskCreationOptions.None, this).Unwrap();

    /// <summary>Runs every ready continuation, including those that running them makes ready.</summary>
    public void Drain()
    {
        while (true)
        {
            Task? next;
            lock (_gate)
            {
                if (!_ready.TryDequeue(out next))
                {
                    return;
                }
            }

            TryExecuteTask(next);
        }
    }

    protected override void QueueTask(Task task)
    {
        lock (_gate)
        {
            _ready.Enqueue(task);
        }
    }

    // Never inline: every continuation goes through the queue so that its order is the order of readiness.
    protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) => false;

    protected override IEnumerable<Task> GetScheduledTasks()
    {
        lock (_gate)
        {
            return [.. _ready];
        }
    }
}
