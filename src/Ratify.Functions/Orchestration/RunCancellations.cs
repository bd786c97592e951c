using System.Collections.Concurrent;
using Azure.Data.Tables;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ratify.Functions.Storage;

namespace Ratify.Functions.Orchestration;

/// <summary>
/// Tells executing step attempts that their run was cancelled: a cancel marker per run (table RunCancellations) that every
/// host watches for the runs whose steps it is executing, and a direct signal to the attempts on the host that took the cancel.
/// </summary>
/// <remarks>
/// The marker holds when the run was cancelled; only attempts scheduled before then are cancelled, so a retry of the
/// cancelled run (scheduled later) is not. Hosts read markers only while they execute steps of that run.
/// </remarks>
public sealed partial class RunCancellations(AppTables tables, IOptions<RunCancellationOptions> options, TimeProvider time, ILogger<RunCancellations> logger)
    : BackgroundService
{
    /// <summary>The table's name (the task hub's prefix is added by <see cref="AppTables"/>).</summary>
    public const string TableName = "RunCancellations";

    private const string RowKey = "cancel";
    private readonly ConcurrentDictionary<Watch, byte> _watches = new();
    private readonly SemaphoreSlim _watching = new(0);

    /// <summary>Records that the run was cancelled at <paramref name="at"/> and cancels its attempts on this host.</summary>
    public async Task CancelAsync(string runId, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName, cancellationToken).ConfigureAwait(false);
        await table.UpsertEntityAsync(new TableEntity(runId, RowKey) { ["CancelledAt"] = at }, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        Fire(runId, at);
    }

    /// <summary>Watches the run for a cancel that covers an attempt scheduled at <paramref name="scheduledAt"/>; dispose the result when the attempt ends.</summary>
    public Watch WatchRun(string runId, DateTimeOffset scheduledAt)
    {
        var watch = new Watch(this, runId, scheduledAt);
        _watches.TryAdd(watch, 0);

        // Wakes the poller if it sleeps for want of watches; a spare wake-up only makes it look once more.
        if (_watching.CurrentCount == 0)
        {
            _watching.Release();
        }

        return watch;
    }

    /// <summary>Deletes the run's marker (a purge).</summary>
    public async Task DeleteAsync(string runId, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName, cancellationToken).ConfigureAwait(false);
        try
        {
            await table.DeleteEntityAsync(runId, RowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Azure.RequestFailedException e) when (StorageErrors.IsNotFound(e))
        {
            // Never cancelled: nothing to delete.
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (_watches.IsEmpty)
                {
                    await _watching.WaitAsync(stoppingToken).ConfigureAwait(false);
                    continue;
                }

                await Task.Delay(options.Value.PollInterval, time, stoppingToken).ConfigureAwait(false);
                await PollAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Azure.RequestFailedException e)
            {
                // Storage unreachable: attempts keep running on their own deadlines; the next poll tries again.
                LogPollFailed(logger, e.Status);
            }
        }
    }

    private async Task PollAsync(CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableName, cancellationToken).ConfigureAwait(false);
        foreach (var runId in _watches.Keys.Select(w => w.RunId).Distinct(StringComparer.Ordinal).ToList())
        {
            var marker = await table.GetEntityIfExistsAsync<TableEntity>(runId, RowKey, select: ["CancelledAt"], cancellationToken).ConfigureAwait(false);
            if (marker.HasValue && marker.Value!.GetDateTimeOffset("CancelledAt") is { } at)
            {
                Fire(runId, at);
            }
        }
    }

    private void Fire(string runId, DateTimeOffset at)
    {
        foreach (var watch in _watches.Keys.Where(w => w.RunId == runId && w.ScheduledAt <= at))
        {
            watch.Cancel();
        }
    }

    [LoggerMessage(EventId = 3110, Level = LogLevel.Warning, Message = "Reading run cancel markers failed ({Status}); trying again at the next poll")]
    private static partial void LogPollFailed(ILogger logger, int status);

    /// <summary>One attempt's watch on its run: <see cref="Token"/> fires when the run is cancelled.</summary>
    public sealed class Watch : IDisposable
    {
        private readonly RunCancellations _owner;
        private readonly CancellationTokenSource _cancelled = new();

        internal Watch(RunCancellations owner, string runId, DateTimeOffset scheduledAt)
        {
            _owner = owner;
            RunId = runId;
            ScheduledAt = scheduledAt;
        }

        public string RunId { get; }

        public DateTimeOffset ScheduledAt { get; }

        public CancellationToken Token => _cancelled.Token;

        public void Dispose()
        {
            _owner._watches.TryRemove(this, out _);
            _cancelled.Dispose();
        }

        internal void Cancel()
        {
            try
            {
                _cancelled.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The attempt ended meanwhile.
            }
        }
    }
}
