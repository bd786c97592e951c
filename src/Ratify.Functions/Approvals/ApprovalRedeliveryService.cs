using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Ratify.Functions.Approvals;

/// <summary>
/// Delivers decisions that were stored but never raised to their run (the host stopped in between), every few seconds. It reads
/// only the notes that resolving requests leave while they decide (<see cref="ApprovalStore.NoteDecidingAsync"/>), which are few.
/// </summary>
public sealed partial class ApprovalRedeliveryService(
    ApprovalStore store, ApprovalResolver resolver, IOptions<ApprovalOptions> options, TimeProvider time, ILogger<ApprovalRedeliveryService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.RedeliveryInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                await RedeliverAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogFailed(logger, e);
            }
        }
    }

    /// <summary>
    /// One pass over the notes of decisions being stored (not the Approvals table): a note older than the grace period whose
    /// approval is decided and not delivered is delivered now; then the note is cleared.
    /// </summary>
    public async Task RedeliverAsync(CancellationToken cancellationToken)
    {
        var before = time.GetUtcNow() - options.Value.RedeliveryGrace;
        foreach (var (noteId, approval) in await store.ListUndeliveredAsync(before, cancellationToken).ConfigureAwait(false))
        {
            if (approval is { Raised: false, Decision: not null } && ApprovalStatuses.IsDecided(approval.Status))
            {
                LogRedelivering(logger, approval.ApprovalId);
                await resolver.DeliverAsync(approval, cancellationToken).ConfigureAwait(false);
            }

            await store.ClearDecidingAsync(noteId, cancellationToken).ConfigureAwait(false);
        }
    }

    [LoggerMessage(EventId = 9003, Level = LogLevel.Warning, Message = "Approval {ApprovalId} was decided but its run was not told; telling it now")]
    private static partial void LogRedelivering(ILogger logger, string approvalId);

    [LoggerMessage(EventId = 9004, Level = LogLevel.Error, Message = "Looking for undelivered approval decisions failed; trying again later")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
