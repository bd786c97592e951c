using Azure.Storage.Queues;
using Ratify.Durable.History;
using Ratify.Durable.Storage;
using Ratify.Durable.Worker;

namespace Ratify.Durable.Tests.Worker;

public sealed class MessageSorterTests
{
    private static readonly DateTime T0 = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private static OrchestrationRuntimeState WaitingForTask0()
    {
        var state = new OrchestrationRuntimeState("i1", "e1", null, []);
        state.AppendRange([new OrchestratorStartedEvent(-1, T0), new ExecutionStartedEvent(-1, T0, "Orch", null, "e1"), new TaskScheduledEvent(0, T0, "A", null)]);
        return state;
    }

    [Fact]
    public void Add_TwoCopiesOfOneActivityResultInOneBatch_AppliesOneAndDropsTheOther()
    {
        var sorter = new MessageSorter(new DurableTaskOptions(), WaitingForTask0(), T0.AddSeconds(1));
        var result = new TaskCompletedEvent(-1, T0.AddSeconds(1), 0, "\"a\"");
        var queue = new QueueClient("UseDevelopmentStorage=true", "control-00");

        // One copy handed over in memory, one from the queue (the host re-ran the activity after a takeover).
        var inMemory = new InboxMessage(TaskMessage.For("i1", "e1", result), null);
        var queued = TaskMessage.For("i1", "e1", result with { Result = "\"a again\"" });
        var fromQueue = new InboxMessage(queued, new ReceivedMessage(queued, queue, "m2", "p2", 1, T0));
        sorter.Add(inMemory);
        sorter.Add(fromQueue);

        var (accepted, e) = Assert.Single(sorter.Accepted);
        Assert.Same(inMemory, accepted);
        Assert.Equal("\"a\"", Assert.IsType<TaskCompletedEvent>(e).Result);
        Assert.Same(fromQueue, Assert.Single(sorter.Dropped));
    }

    [Fact]
    public void Add_ASuccessAndAFailureOfTheSameTaskInOneBatch_AppliesOnlyTheFirst()
    {
        var sorter = new MessageSorter(new DurableTaskOptions(), WaitingForTask0(), T0.AddSeconds(1));
        sorter.Add(new InboxMessage(TaskMessage.For("i1", "e1", new TaskFailedEvent(-1, T0, 0, new TaskFailureDetails("X", "boom", null, null, null))), null));
        sorter.Add(new InboxMessage(TaskMessage.For("i1", "e1", new TaskCompletedEvent(-1, T0, 0, "\"a\"")), null));

        Assert.IsType<TaskFailedEvent>(Assert.Single(sorter.Accepted).Event);
        Assert.Single(sorter.Dropped);
    }
}
