using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;

namespace Ratify.Durable.Tests;

/// <summary>Counts the HTTP requests (storage requests) made inside one awaited call, and no others of the process.</summary>
internal static class StorageRequestCounter
{
    private static readonly AsyncLocal<StrongBox<int>?> Current = new();

    /// <summary>Runs <paramref name="call"/> and returns its result with the number of requests it made.</summary>
    public static async Task<(T Result, int Requests)> CountAsync<T>(Func<Task<T>> call)
    {
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument is { Meter.Name: "System.Net.Http", Name: "http.client.request.duration" })
            {
                l.EnableMeasurementEvents(instrument);
            }
        };

        // The measurement is recorded in the request's own async flow, which carries the box of the call that made it.
        listener.SetMeasurementEventCallback<double>((_, _, _, _) =>
        {
            if (Current.Value is { } box)
            {
                Interlocked.Increment(ref box.Value);
            }
        });
        listener.Start();
        var counted = new StrongBox<int>();
        var result = await RunCountedAsync(call, counted);
        return (result, Volatile.Read(ref counted.Value));
    }

    private static async Task<T> RunCountedAsync<T>(Func<Task<T>> call, StrongBox<int> counted)
    {
        Current.Value = counted; // local to this call's flow: the caller's value is untouched
        return await call();
    }
}
