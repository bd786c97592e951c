using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Ratify.Functions.Runs;

/// <summary>
/// Settles starts that a stopped host left halfway, every minute: a run whose row says running, with no orchestration behind it
/// minutes after its start began, is marked failed with <see cref="RunLauncher.StartFailedCode"/> (a retry with the same
/// Idempotency-Key starts it again). It reads only the notes of starts in flight (<see cref="RunStartNotes"/>), never the Runs table.
/// </summary>
public sealed partial class RunStartRecovery(RunStartNotes notes, RunStore runs, DurableTaskClient client, TimeProvider time, ILogger<RunStartRecovery> logger)
    : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    /// <summary>How long a start may take before its note counts as left behind: far longer than scheduling takes, even with retries.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromMinutes(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                await RecoverAsync(time.GetUtcNow() - Grace, stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogFailed(logger, e);
            }
        }
    }

    /// <summary>One pass over the notes written before <paramref name="before"/>: each start is settled, then its note deleted.</summary>
    public async Task RecoverAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        foreach (var (tenantId, runId) in await notes.ListOlderAsync(before, cancellationToken).ConfigureAwait(false))
        {
            if (await runs.GetAsync(tenantId, runId, cancellationToken).ConfigureAwait(false) is { Status: RunStatuses.Running }
                && await client.GetInstanceAsync(runId, cancellation: cancellationToken).ConfigureAwait(false) is null or { IsCompleted: true })
            {
                // No orchestration (a new run), or only the one that ended before a retry reopened the row.
                LogUnscheduled(logger, runId);
                var error = new RunError(RunLauncher.StartFailedCode, "The host starting the run stopped before its orchestration was scheduled; start it again.");
                await runs.UpdateStatusAsync(tenantId, runId, RunStatuses.Failed, time.GetUtcNow(), error, cancellationToken: cancellationToken).ConfigureAwait(false);
            }

            await notes.ClearAsync(runId, cancellationToken).ConfigureAwait(false);
        }
    }

    [LoggerMessage(EventId = 3004, Level = LogLevel.Warning, Message = "Run {RunId} says running but its start stopped before its orchestration was scheduled; the run is marked failed")]
    private static partial void LogUnscheduled(ILogger logger, string runId);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Error, Message = "Looking for run starts left halfway failed; trying again later")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
