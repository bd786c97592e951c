using System.Text;
using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection;
using Ratify.Durable.Storage;
using Ratify.Testing;

namespace Ratify.Durable.Tests.Storage;

/// <summary>
/// Messages the runtime cannot read, put on its real queues by someone else, are moved to the poison queue with a log line on
/// their first read, and never hold up the readable messages around them.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ForeignMessageTests(AzuriteFixture azurite)
{
    /// <summary>The event id of the runtime's "cannot be read and is moved to the poison queue" log line.</summary>
    private const int UnreadableEventId = 101;

    /// <summary>Bodies sent as they are (no base64): the queue client cannot even decode them.</summary>
    private static readonly string[] NotBase64 = ["plain text, not a message", "{}"];

    /// <summary>Bodies sent base64-encoded as the runtime's own are, but which are not messages of the runtime.</summary>
    private static readonly byte[][] Undecodable =
    [
        Encoding.UTF8.GetBytes("plain text, not a message"),
        Encoding.UTF8.GetBytes("{}"),
        [0xFF, 0xFE, 0x00, 0x80, 0xC3],
        Encoding.UTF8.GetBytes("""{"id": "m1", "instanceId": "i1", "event": {"type": "Unknown", "eventId": -1, "timestamp": "2026-01-01T00:00:00Z"}}"""),
        Encoding.UTF8.GetBytes("""{"id": "m2", "instanceId": "i2", "event": {"type": "EventRaised", "eventId": -1, "timestamp": "2026-01-01T00:00:00Z"}}"""),
        Encoding.UTF8.GetBytes("""{"id": "m3", "instanceId": "i3", "event": {"type": "ExecutionSuspended", "eventId": -1, "timestamp": "2026-01-01T00:00:00Z", "reason": "\ud800"}}"""),
        Encoding.UTF8.GetBytes(Convert.ToBase64String(Encoding.UTF8.GetBytes("{}"))),
    ];

    [Fact(Timeout = 60_000)]
    public async Task Unreadable_messages_are_poisoned_on_first_read_with_a_log_line_and_readable_ones_are_not_delayed()
    {
        var logs = new CapturedLogs();
        var timeout = TestTimeout.Token(45);

        // The default visibility timeouts (5 minutes) stay: a readable message held back by a bad one would miss the deadline.
        await using var host = await TestWorkerHost.StartAsync(azurite, TestNames.NewHub(), r =>
        {
            r.AddActivityFunc<string, string>("Upper", (_, s) => Task.FromResult(s.ToUpperInvariant()));
            r.AddOrchestratorFunc<string, string>("Shout", (ctx, s) => ctx.CallActivityAsync<string>("Upper", s));
        }, logs: logs);
        var account = host.Services.GetRequiredService<StorageAccount>();
        await account.EnsureCreatedAsync();

        var queues = new List<string>([.. account.ControlQueues.Select(q => q.Name), account.WorkItemQueue.Name]);
        var raw = new QueueServiceClient(azurite.ConnectionString);
        var encoded = new QueueServiceClient(azurite.ConnectionString, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        foreach (var name in queues)
        {
            foreach (var body in NotBase64)
            {
                await raw.GetQueueClient(name).SendMessageAsync(body, timeout);
            }

            foreach (var body in Undecodable)
            {
                await encoded.GetQueueClient(name).SendMessageAsync(new BinaryData(body), cancellationToken: timeout);
            }
        }

        var injected = queues.Count * (NotBase64.Length + Undecodable.Length);
        var first = await host.Client.ScheduleNewOrchestrationInstanceAsync("Shout", "hello", cancellation: timeout);
        var second = await host.Client.ScheduleNewOrchestrationInstanceAsync("Shout", "again", cancellation: timeout);

        Assert.Equal("HELLO", (await host.Client.WaitForInstanceCompletionAsync(first, true, timeout)).ReadOutputAs<string>());
        Assert.Equal("AGAIN", (await host.Client.WaitForInstanceCompletionAsync(second, true, timeout)).ReadOutputAs<string>());

        // Every foreign message ends on the poison queue, each with its log line, and none is left on the runtime's queues.
        var delay = TimeSpan.FromMilliseconds(20);
        while (await CountAsync(account.PoisonQueue, timeout) < injected || logs.Entries.Count(e => e.EventId == UnreadableEventId) < injected)
        {
            await Task.Delay(delay, timeout);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 200));
        }

        Assert.Equal(injected, await CountAsync(account.PoisonQueue, timeout));
        foreach (var name in queues)
        {
            Assert.Equal(0, await CountAsync(raw.GetQueueClient(name), timeout));
        }
    }

    private static async Task<int> CountAsync(QueueClient queue, CancellationToken cancellationToken) =>
        (await queue.GetPropertiesAsync(cancellationToken)).Value.ApproximateMessagesCount;
}
