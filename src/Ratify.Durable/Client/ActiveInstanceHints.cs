using System.Collections.Concurrent;

namespace Ratify.Durable.Client;

/// <summary>
/// Which instances this process last saw running or suspended (committed by its worker, or read by its client): a
/// status call reads only the history's state row for those, and the Instances row for the rest.
/// </summary>
/// <remarks>A hint only picks the row read first; a wrong one costs a second read, never a wrong answer.</remarks>
internal sealed class ActiveInstanceHints
{
    // Hints are cheap to lose: past this many, start again rather than track which are old.
    private const int MaxHints = 10_000;
    private readonly ConcurrentDictionary<string, byte> _active = new(StringComparer.Ordinal);

    public bool IsLikelyActive(string instanceId) => _active.ContainsKey(instanceId);

    public void Observed(string instanceId, OrchestrationRuntimeStatus? status)
    {
        if (status is OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Suspended)
        {
            if (_active.Count >= MaxHints)
            {
                _active.Clear();
            }

            _active.TryAdd(instanceId, 0);
        }
        else
        {
            _active.TryRemove(instanceId, out _);
        }
    }
}
