namespace Ratify.Bench;

/// <summary>Samples the process's working set in the background and keeps the peak.</summary>
internal sealed class MemorySampler : IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(20);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampling;
    private long _peakBytes;

    private MemorySampler() => _sampling = SampleAsync(_stop.Token);

    public static MemorySampler Start() => new();

    /// <summary>Stops sampling and returns the peak working set in MiB.</summary>
    public async Task<double> StopAsync()
    {
        await _stop.CancelAsync();
        await _sampling;
        Sample();
        return Interlocked.Read(ref _peakBytes) / (1024.0 * 1024.0);
    }

    public void Dispose() => _stop.Dispose();

    private async Task SampleAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            Sample();
            try
            {
                await Task.Delay(Interval, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void Sample()
    {
        var current = Environment.WorkingSet;
        long peak;
        do
        {
            peak = Interlocked.Read(ref _peakBytes);
        }
        while (current > peak && Interlocked.CompareExchange(ref _peakBytes, current, peak) != peak);
    }
}
