namespace Ratify.Functions.Events;

/// <summary>
/// The snapshots of runs whose latest event this host committed was their final one, exactly as written to their head rows, so
/// that a start that waited for its run's end answers without reading the head back.
/// </summary>
/// <remarks>
/// Bounded to <see cref="Capacity"/> runs, oldest dropped first. A run's entry goes as soon as this host commits a later event of it;
/// events that other hosts commit are not seen here, so only callers that want the run as it ended may use an entry.
/// </remarks>
internal sealed class EndedRunSnapshots
{
    /// <summary>How many ended runs are kept.</summary>
    public const int Capacity = 1024;

    private readonly Lock _gate = new();
    private readonly Dictionary<(string TenantId, string RunId), string> _texts = [];
    private readonly Queue<(string TenantId, string RunId)> _order = new();

    /// <summary>Takes note of a committed batch: <paramref name="snapshots"/> holds each run's head snapshot text after it, when known.</summary>
    public void Committed(string tenantId, IReadOnlyList<RunEvent> events, IReadOnlyDictionary<string, string?>? snapshots)
    {
        ArgumentNullException.ThrowIfNull(events);
        lock (_gate)
        {
            foreach (var runId in events.Select(e => e.RunId).Distinct(StringComparer.Ordinal))
            {
                var key = (tenantId, runId);
                var text = snapshots?.GetValueOrDefault(runId);
                if (!RunEventTypes.IsFinal(events.Last(e => e.RunId == runId).Type) || text is null)
                {
                    _texts.Remove(key);
                    continue;
                }

                if (_texts.TryAdd(key, text))
                {
                    _order.Enqueue(key);
                }
                else
                {
                    _texts[key] = text;
                }
            }

            // Keys of runs removed meanwhile stay queued until their turn: the queue is at most twice the capacity.
            while (_texts.Count > Capacity || _order.Count > 2 * Capacity)
            {
                _texts.Remove(_order.Dequeue());
            }
        }
    }

    /// <summary>The run's snapshot as of its final event, when this host committed that event and nothing of the run since.</summary>
    public RunSnapshot? TryGet(string tenantId, string runId)
    {
        string? text;
        lock (_gate)
        {
            if (!_texts.TryGetValue((tenantId, runId), out text))
            {
                return null;
            }
        }

        return RunSnapshotText.Parse(text) is { } snapshot && snapshot.RunId == runId ? snapshot : null;
    }
}
