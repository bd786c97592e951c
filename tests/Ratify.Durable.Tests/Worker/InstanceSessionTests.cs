using Ratify.Durable.History;
using Ratify.Durable.Storage;
using Ratify.Durable.Worker;

namespace Ratify.Durable.Tests.Worker;

public sealed class InstanceSessionTests
{
    private static InboxMessage Message() =>
        new(TaskMessage.For("i1", "e1", new EventRaisedEvent(-1, DateTime.UtcNow, "Go", null, Guid.NewGuid().ToString("N"))), null);

    [Fact]
    public async Task Post_AfterAnEpisodeThrew_StillRunsAndAsksForRecovery()
    {
        var failures = 0;
        var calls = new List<(int Messages, bool Recover)>();
        var secondDone = new TaskCompletionSource();
        var session = new InstanceSession("i1", 0, (_, batch, recover) =>
        {
            lock (calls)
            {
                calls.Add((batch.Count, recover));
                if (calls.Count == 1)
                {
                    throw new InvalidOperationException("a bug in an episode");
                }
            }

            secondDone.TrySetResult();
            return Task.CompletedTask;
        }, _ => Interlocked.Increment(ref failures));

        session.Post(Message());
        await secondDone.Task.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(1, failures);
        Assert.True(calls[1].Recover);
    }
}
