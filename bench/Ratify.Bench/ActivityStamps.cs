using System.Collections.Concurrent;

namespace Ratify.Bench;

/// <summary>When benchmark activities first ran (Stopwatch timestamps); activities may run more than once, the first run counts.</summary>
internal static class ActivityStamps
{
    private static readonly ConcurrentDictionary<(string InstanceId, int Step), TaskCompletionSource> Watchers = new();

    /// <summary>(instance id, step) → when the step's activity started.</summary>
    public static ConcurrentDictionary<(string InstanceId, int Step), long> StepStarted { get; } = new();

    public static void StampStep(string instanceId, int step)
    {
        StepStarted.TryAdd((instanceId, step), Measure.Now());
        if (Watchers.TryRemove((instanceId, step), out var watcher))
        {
            watcher.TrySetResult();
        }
    }

    /// <summary>Completes when the activity of <paramref name="step"/> has started: an in-memory wait that costs no storage request.</summary>
    public static Task StepStartedAsync(string instanceId, int step)
    {
        var watcher = Watchers.GetOrAdd((instanceId, step), _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (StepStarted.ContainsKey((instanceId, step)) && Watchers.TryRemove((instanceId, step), out var started))
        {
            started.TrySetResult(); // stamped before the watcher was registered
        }

        return watcher.Task;
    }

    public static void Clear()
    {
        StepStarted.Clear();
        Watchers.Clear();
    }
}
