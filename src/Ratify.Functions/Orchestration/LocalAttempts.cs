using System.Collections.Concurrent;

namespace Ratify.Functions.Orchestration;

/// <summary>
/// The step attempts executing on this host, by run and step: a new attempt of a step whose earlier attempt is still
/// executing here (it timed out but has not stopped yet) waits for it, so that the two never act at once.
/// </summary>
public sealed class LocalAttempts
{
    private readonly ConcurrentDictionary<(string RunId, string StepId), Task> _running = new();

    /// <summary>
    /// Waits until no earlier attempt of the step executes on this host, then registers this one; dispose the result when
    /// the attempt ends. Cancelled by <paramref name="cancellationToken"/> (the new attempt's own fence).
    /// </summary>
    public async Task<IDisposable> EnterAsync(string runId, string stepId, CancellationToken cancellationToken)
    {
        var key = (runId, stepId);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        while (true)
        {
            if (_running.TryAdd(key, done.Task))
            {
                return new Exit(this, key, done);
            }

            if (_running.TryGetValue(key, out var earlier))
            {
                await earlier.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private sealed class Exit(LocalAttempts owner, (string, string) key, TaskCompletionSource done) : IDisposable
    {
        public void Dispose()
        {
            owner._running.TryRemove(new KeyValuePair<(string, string), Task>(key, done.Task));
            done.TrySetResult();
        }
    }
}
