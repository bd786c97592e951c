using Azure;
using Microsoft.Extensions.Logging;
using Ratify.Durable.History;
using Ratify.Durable.Storage;

namespace Ratify.Durable.Worker;

/// <summary>What becomes of an episode's received messages besides being handled: given back for another try, deleted, or sent again later.</summary>
internal sealed class InboxReceipts(MessageQueues queues, ILogger logger)
{
    /// <summary>Sends timers that fired too early again, due when they fire, and deletes the early copies.</summary>
    public async Task RescheduleAsync(IReadOnlyList<InboxMessage> timers)
    {
        foreach (var timer in timers)
        {
            var fired = (TimerFiredEvent)timer.Message.Event;
            await queues.SendControlAsync(timer.Message with { Id = Guid.NewGuid().ToString("N") }, fired.FireAt - DateTime.UtcNow).ConfigureAwait(false);
        }

        DeleteInBackground(timers);
    }

    /// <summary>Returns messages to the queue for another try (one handed over in memory is sent).</summary>
    public async Task GiveBackAsync(IEnumerable<InboxMessage> messages)
    {
        foreach (var message in messages)
        {
            await GiveBackAsync(message, keep: true).ConfigureAwait(false);
        }
    }

    /// <summary>Returns a message to the queue when <paramref name="keep"/>, else deletes it; failures are logged, not thrown.</summary>
    public async Task GiveBackAsync(InboxMessage message, bool keep)
    {
        try
        {
            if (message.Receipt is { } receipt)
            {
                await (keep ? queues.AbandonAsync(receipt, TimeSpan.FromSeconds(1)) : queues.DeleteAsync(receipt)).ConfigureAwait(false);
            }
            else if (keep)
            {
                // A message handed over in memory becomes durable now, so that it is not lost.
                await queues.SendControlAsync(message.Message).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is RequestFailedException or AggregateException)
        {
            Logs.GiveBackFailed(logger, message.Message.InstanceId, e);
        }
    }

    /// <summary>Deletes handled messages without waiting: one that comes back is recognised as a duplicate.</summary>
    public void DeleteInBackground(IEnumerable<InboxMessage> messages)
    {
        foreach (var message in messages)
        {
            if (message.Receipt is { } receipt)
            {
                _ = DeleteQuietlyAsync(receipt);
            }
        }
    }

    private async Task DeleteQuietlyAsync(ReceivedMessage receipt)
    {
        try
        {
            await queues.DeleteAsync(receipt).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RequestFailedException or AggregateException)
        {
            // Harmless: a message that comes back is recognised as a duplicate.
            Logs.DeleteFailed(logger, receipt.Message.InstanceId, e);
        }
    }
}
