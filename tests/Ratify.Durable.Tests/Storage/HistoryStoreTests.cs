using Microsoft.Extensions.Logging.Abstractions;
using Ratify.Durable.History;
using Ratify.Durable.Storage;
using Ratify.Testing;

namespace Ratify.Durable.Tests.Storage;

[Collection(AzuriteCollection.Name)]
public sealed class HistoryStoreTests(AzuriteFixture azurite)
{
    private async Task<HistoryStore> StoreAsync()
    {
        var account = new StorageAccount(new DurableTaskOptions { HubName = TestNames.NewHub(), StorageConnectionString = azurite.ConnectionString });
        await account.EnsureCreatedAsync();
        return new HistoryStore(account, new PayloadStore(account));
    }

    private static HistoryCommit Commit(string id, int first, Azure.ETag? etag, params HistoryEvent[] events) =>
        CommitOf(id, "e1", first, etag, events);

    private static HistoryCommit CommitOf(string id, string executionId, int first, Azure.ETag? etag, params HistoryEvent[] events) =>
        new(id, executionId, "Orch", OrchestrationRuntimeStatus.Running, first, events, null, etag, [], first + 1);

    [Fact]
    public async Task Two_writers_with_the_same_ETag_cannot_both_commit_and_the_loser_leaves_nothing()
    {
        var store = await StoreAsync();
        var now = DateTime.UtcNow;
        var (etag, _) = await store.CommitAsync(Commit("i1", 0, null, new ExecutionStartedEvent(-1, now, "Orch", null, "e1")));

        await store.CommitAsync(Commit("i1", 1, etag, new TaskScheduledEvent(0, now, "Winner", null)));
        await Assert.ThrowsAsync<HistoryConflictException>(() => store.CommitAsync(Commit("i1", 1, etag, new TaskScheduledEvent(0, now, "Loser", null))));

        var snapshot = await store.LoadAsync("i1");
        Assert.Equal(["Winner"], snapshot!.Events.OfType<TaskScheduledEvent>().Select(e => e.Name));
        Assert.Equal(2, snapshot.Events.Count);
    }

    [Fact]
    public async Task A_writer_with_a_stale_ETag_is_refused_even_when_none_of_its_rows_collide()
    {
        var store = await StoreAsync();
        var now = DateTime.UtcNow;
        var (stale, _) = await store.CommitAsync(Commit("i4", 0, null, new ExecutionStartedEvent(-1, now, "Orch", null, "e1")));

        // Both start a new execution: their event rows have different keys, so only the state row's ETag can tell them apart.
        await store.CommitAsync(CommitOf("i4", "e2", 0, stale, new ExecutionStartedEvent(-1, now, "Orch", "\"winner\"", "e2")));
        await Assert.ThrowsAsync<HistoryConflictException>(() =>
            store.CommitAsync(CommitOf("i4", "e3", 0, stale, new ExecutionStartedEvent(-1, now, "Orch", "\"stale\"", "e3"))));

        var snapshot = await store.LoadAsync("i4");
        Assert.Equal("e2", snapshot!.ExecutionId);
        Assert.Equal("\"winner\"", Assert.IsType<ExecutionStartedEvent>(Assert.Single(snapshot.Events)).Input);
    }

    [Fact]
    public async Task A_claim_by_a_host_that_loaded_the_instance_refuses_the_commit_of_a_host_that_loaded_it_before()
    {
        var store = await StoreAsync();
        var now = DateTime.UtcNow;
        await store.CommitAsync(Commit("i5", 0, null, new ExecutionStartedEvent(-1, now, "Orch", null, "e1")));
        var frozen = await store.LoadAsync("i5");

        // The new owner loads and claims without writing any event; the woken host then sends the episode it had built.
        var owner = await store.LoadAsync("i5");
        var claimed = await store.ClaimAsync("i5", owner!.ETag);
        await Assert.ThrowsAsync<HistoryConflictException>(() => store.CommitAsync(Commit("i5", 1, frozen!.ETag, new TaskScheduledEvent(0, now, "Stale", null))));
        await Assert.ThrowsAsync<HistoryConflictException>(() => store.ClaimAsync("i5", frozen!.ETag));

        await store.CommitAsync(Commit("i5", 1, claimed, new TaskScheduledEvent(0, now, "Owner", null)));
        Assert.Equal(["Owner"], (await store.LoadAsync("i5"))!.Events.OfType<TaskScheduledEvent>().Select(e => e.Name));
    }

    [Fact]
    public async Task A_second_first_commit_of_the_same_instance_is_a_conflict()
    {
        var store = await StoreAsync();
        var now = DateTime.UtcNow;
        await store.CommitAsync(Commit("i2", 0, null, new ExecutionStartedEvent(-1, now, "Orch", null, "e1")));

        await Assert.ThrowsAsync<HistoryConflictException>(() => store.CommitAsync(Commit("i2", 0, null, new ExecutionStartedEvent(-1, now, "Orch", null, "e1"))));
    }

    [Fact]
    public async Task An_episode_with_hundreds_of_events_and_large_payloads_is_written_in_one_commit_and_read_back_in_order()
    {
        var store = await StoreAsync();
        var now = DateTime.UtcNow;
        var big = new string('x', 300_000);
        var events = new List<HistoryEvent> { new ExecutionStartedEvent(-1, now, "Orch", "\"" + big + "\"", "e1") };
        events.AddRange(Enumerable.Range(0, 500).Select(i => new TaskScheduledEvent(i, now, "Step", $"\"{i}:{new string('y', 5_000)}\"")));

        await store.CommitAsync(Commit("i3", 0, null, [.. events]));
        var snapshot = await store.LoadAsync("i3");

        Assert.Equal(events, snapshot!.Events);
    }
}
