using System.Text.Json.Nodes;

namespace Ratify.Functions.Events;

/// <summary>
/// The events this host committed lately, per tenant, so that a follower on this host that is caught up takes the next events
/// from memory instead of reading storage.
/// </summary>
/// <remarks>
/// Bounded: each tenant keeps its last <see cref="PerTenant"/> events, and at most <see cref="MaxTenants"/> tenants are kept.
/// An answer is only ever a gap-free continuation of what the follower has; when the next event is not here (another host
/// wrote it, or it was evicted) the answer is null and the follower reads storage, as it would without this.
/// </remarks>
public sealed class RecentRunEvents
{
    /// <summary>How many of a tenant's latest events are kept.</summary>
    public const int PerTenant = 1024;

    /// <summary>How many tenants' events are kept; a tenant past that drops another's.</summary>
    public const int MaxTenants = 1000;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, TenantEvents> _tenants = new(StringComparer.Ordinal);

    /// <summary>Keeps a batch that this host's writer just committed, in commit order.</summary>
    public void Add(string tenantId, IReadOnlyList<RunEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        lock (_gate)
        {
            if (!_tenants.TryGetValue(tenantId, out var tenant))
            {
                if (_tenants.Count >= MaxTenants)
                {
                    _tenants.Remove(_tenants.Keys.First());
                }

                tenant = new TenantEvents();
                _tenants[tenantId] = tenant;
            }

            foreach (var item in events)
            {
                // A private copy: the writer's callers hold the original, and a parsed JsonObject is not safe to read from two threads.
                tenant.Add(item with { Data = (JsonObject)item.Data.DeepClone() });
            }
        }
    }

    /// <summary>
    /// The run's events right after sequence number <paramref name="after"/>, gap-free and at most <paramref name="max"/>; empty when
    /// this host committed nothing newer for the run; null when the next one is not here (read storage).
    /// </summary>
    public IReadOnlyList<RunEvent>? TryRun(string tenantId, string runId, long after, int max)
    {
        lock (_gate)
        {
            if (!_tenants.TryGetValue(tenantId, out var tenant) || !tenant.Runs.TryGetValue(runId, out var run))
            {
                return [];
            }

            var found = new List<RunEvent>();
            foreach (var item in run)
            {
                if (item.Seq <= after)
                {
                    continue;
                }

                if (item.Seq != after + found.Count + 1)
                {
                    return found.Count == 0 ? null : found;
                }

                found.Add(Copy(item));
                if (found.Count == max)
                {
                    break;
                }
            }

            return found;
        }
    }

    /// <summary>
    /// The tenant's events right after feed position <paramref name="after"/>, gap-free and at most <paramref name="max"/>; empty when
    /// this host committed nothing newer; null when the next one is not here (read storage).
    /// </summary>
    public IReadOnlyList<RunEvent>? TryTenant(string tenantId, long after, int max)
    {
        lock (_gate)
        {
            if (!_tenants.TryGetValue(tenantId, out var tenant))
            {
                return [];
            }

            var index = tenant.FirstAfter(after);
            if (index == tenant.Count)
            {
                return [];
            }

            var found = new List<RunEvent>();
            for (; index < tenant.Count && found.Count < max; index++)
            {
                var item = tenant[index];
                if (item.Cursor != after + found.Count + 1)
                {
                    break;
                }

                found.Add(Copy(item));
            }

            return found.Count == 0 ? null : found;
        }
    }

    private static RunEvent Copy(RunEvent item) => item with { Data = (JsonObject)item.Data.DeepClone() };

    // A ring of the tenant's latest events in feed order, and the same events by run.
    private sealed class TenantEvents
    {
        private readonly RunEvent[] _ring = new RunEvent[PerTenant];
        private int _start;

        public Dictionary<string, Queue<RunEvent>> Runs { get; } = new(StringComparer.Ordinal);

        public int Count { get; private set; }

        public RunEvent this[int index] => _ring[(_start + index) % PerTenant];

        public void Add(RunEvent item)
        {
            if (Count > 0 && item.Cursor <= this[Count - 1].Cursor)
            {
                // Commits on one host come in feed order; anything else means the feed was started over, so start over too.
                Array.Clear(_ring);
                Runs.Clear();
                _start = 0;
                Count = 0;
            }

            if (Count == PerTenant)
            {
                var oldest = _ring[_start];
                if (Runs.TryGetValue(oldest.RunId, out var old) && old.TryDequeue(out _) && old.Count == 0)
                {
                    Runs.Remove(oldest.RunId);
                }

                _start = (_start + 1) % PerTenant;
                Count--;
            }

            _ring[(_start + Count) % PerTenant] = item;
            Count++;
            if (!Runs.TryGetValue(item.RunId, out var run))
            {
                run = new Queue<RunEvent>();
                Runs[item.RunId] = run;
            }

            run.Enqueue(item);
        }

        // The index of the first event whose feed position is past after (Count when none is).
        public int FirstAfter(long after)
        {
            int low = 0, high = Count;
            while (low < high)
            {
                var middle = (low + high) / 2;
                if (this[middle].Cursor <= after)
                {
                    low = middle + 1;
                }
                else
                {
                    high = middle;
                }
            }

            return low;
        }
    }
}
