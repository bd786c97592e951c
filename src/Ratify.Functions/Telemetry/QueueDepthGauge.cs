using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ratify.Durable.Storage;

namespace Ratify.Functions.Telemetry;

/// <summary>
/// The <c>ratify.queue.depth</c> gauge: the approximate message count of each control queue and of the work-item queue.
/// </summary>
/// <remarks>
/// A collection never waits on storage: it reports the last reading and starts a new one when that reading is older than
/// <see cref="TelemetryOptions.QueueDepthCacheDuration"/>, so the queues are read at most once per period, and only while
/// something collects metrics.
/// </remarks>
public sealed partial class QueueDepthGauge : IDisposable
{
    private readonly QueueDepthReader _reader;
    private readonly TimeProvider _time;
    private readonly TimeSpan _cacheDuration;
    private readonly ILogger<QueueDepthGauge> _logger;
    private readonly Meter _meter;
    private IReadOnlyList<Measurement<long>> _last = [];
    private DateTimeOffset _readAt = DateTimeOffset.MinValue;
    private int _reading;

    public QueueDepthGauge(IMeterFactory meters, QueueDepthReader reader, TimeProvider time, IOptions<TelemetryOptions> options, ILogger<QueueDepthGauge> logger)
    {
        ArgumentNullException.ThrowIfNull(meters);
        ArgumentNullException.ThrowIfNull(options);
        _reader = reader;
        _time = time;
        _cacheDuration = options.Value.QueueDepthCacheDuration;
        _logger = logger;
        _meter = meters.Create(RatifyDiagnostics.Name);
        _meter.CreateObservableGauge("ratify.queue.depth", Observe, "{message}", "Approximate messages waiting in each control queue and in the work-item queue.");
    }

    /// <summary>Reads the queues now and waits for the reading (for a first value without waiting a period).</summary>
    public Task RefreshAsync(CancellationToken cancellationToken = default) => ReadAsync(cancellationToken);

    public void Dispose() => _meter.Dispose();

    private IEnumerable<Measurement<long>> Observe()
    {
        if (_time.GetUtcNow() - _readAt >= _cacheDuration)
        {
            _ = ReadAsync(CancellationToken.None);
        }

        return _last;
    }

    private async Task ReadAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _reading, 1) == 1)
        {
            return;
        }

        try
        {
            var depths = await _reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            _last = [.. depths.Select(d => new Measurement<long>(d.ApproximateMessageCount, new KeyValuePair<string, object?>("ratify.queue", d.Queue)))];
            _readAt = _time.GetUtcNow();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The gauge keeps its last reading; the next collection tries again.
            LogReadFailed(_logger, e);
            _readAt = _time.GetUtcNow();
        }
        finally
        {
            Volatile.Write(ref _reading, 0);
        }
    }

    [LoggerMessage(EventId = 12001, Level = LogLevel.Warning, Message = "The queue depths could not be read for the ratify.queue.depth gauge")]
    private static partial void LogReadFailed(ILogger logger, Exception exception);
}
