using System.Diagnostics.Metrics;

namespace Ratify.Bench;

/// <summary>
/// Counts the HTTP requests this process makes (from the "System.Net.Http" meter), by storage service and
/// method. Requests made while waiting for results are counted apart: they are the observer's, not the runtime's.
/// </summary>
internal sealed class HttpRequestCounter : IDisposable
{
    private const string MeterName = "System.Net.Http";
    private const string InstrumentName = "http.client.request.duration";

    // Flows with the async calls of a waiter into the HTTP handler that records the measurement.
    private static readonly AsyncLocal<bool> Observing = new();

    private readonly MeterListener _listener = new();
    private readonly IReadOnlyDictionary<int, string> _services;
    private readonly Dictionary<string, RequestTally> _tallies = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private bool _counting;

    /// <param name="services">Port → storage service name ("table", "queue", "blob").</param>
    public HttpRequestCounter(IReadOnlyDictionary<int, string> services)
    {
        _services = services;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == MeterName && instrument.Name == InstrumentName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>(OnMeasurement);
        _listener.Start();
    }

    /// <summary>Runs <paramref name="read"/> with its requests counted as the observer's.</summary>
    public static async Task<T> ObserveAsync<T>(Func<Task<T>> read)
    {
        Observing.Value = true; // local to this async call: the caller's flag is untouched
        return await read();
    }

    /// <summary>Forgets what was counted and starts counting.</summary>
    public void Start()
    {
        lock (_lock)
        {
            _tallies.Clear();
            _counting = true;
        }
    }

    /// <summary>Stops counting and returns the tallies, keyed "service METHOD" (prefixed "observer " for waiters).</summary>
    public RequestCounts Stop()
    {
        lock (_lock)
        {
            _counting = false;
            return new RequestCounts(new Dictionary<string, RequestTally>(_tallies, StringComparer.Ordinal));
        }
    }

    public void Dispose() => _listener.Dispose();

    private void OnMeasurement(Instrument instrument, double seconds, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        string? method = null;
        var port = 0;
        foreach (var tag in tags)
        {
            switch (tag.Key)
            {
                case "http.request.method":
                    method = tag.Value as string;
                    break;
                case "server.port":
                    port = tag.Value is int p ? p : 0;
                    break;
            }
        }

        var service = _services.TryGetValue(port, out var name) ? name : "other";
        var key = (Observing.Value ? "observer " : string.Empty) + service + " " + (method ?? "?");
        lock (_lock)
        {
            if (_counting)
            {
                _tallies[key] = _tallies.TryGetValue(key, out var tally) ? tally.Add(seconds) : new RequestTally(1, seconds);
            }
        }
    }
}
