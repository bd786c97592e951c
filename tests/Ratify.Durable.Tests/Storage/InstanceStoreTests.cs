using Ratify.Durable.Storage;
using Ratify.Testing;

namespace Ratify.Durable.Tests.Storage;

[Collection(AzuriteCollection.Name)]
public sealed class InstanceStoreTests(AzuriteFixture azurite)
{
    private async Task<InstanceStore> StoreAsync()
    {
        var account = new StorageAccount(new DurableTaskOptions { HubName = TestNames.NewHub(), StorageConnectionString = azurite.ConnectionString });
        await account.EnsureCreatedAsync();
        return new InstanceStore(account, new PayloadStore(account));
    }

    private static InstanceRecord Row(OrchestrationRuntimeStatus status, string customStatus, long revision) =>
        new("i1", "Orch", "e1", status, DateTime.UtcNow, DateTime.UtcNow, null, null, null, customStatus, null, 0, revision);

    [Fact]
    public async Task A_late_writer_of_an_older_revision_is_refused_and_the_row_keeps_the_newer_state()
    {
        var store = await StoreAsync();
        Assert.NotNull(await store.TryCreateAsync(Row(OrchestrationRuntimeStatus.Pending, "created", 0), replacing: null));

        // The host that lost the partition wrote revision 2 and still has the row's ETag from then.
        var (staleETag, _) = await store.WriteIfNewerAsync(Row(OrchestrationRuntimeStatus.Running, "step 1", 2), null);
        var (newETag, _) = await store.WriteIfNewerAsync(Row(OrchestrationRuntimeStatus.Completed, "done", 5), null);
        var withETag = await store.WriteIfNewerAsync(Row(OrchestrationRuntimeStatus.Running, "step 2", 3), staleETag);
        var withoutETag = await store.WriteIfNewerAsync(Row(OrchestrationRuntimeStatus.Running, "step 2", 3), null);

        Assert.NotNull(staleETag);
        Assert.NotNull(newETag);
        Assert.Equal((null, 5), withETag);
        Assert.Equal((null, 5), withoutETag);
        var stored = (await store.GetAsync("i1"))!.Value.Record;
        Assert.Equal((OrchestrationRuntimeStatus.Completed, "done", 5L), (stored.Status, stored.CustomStatus, stored.Revision));
    }

    [Fact]
    public async Task A_writer_whose_last_write_is_still_the_stored_one_writes_without_reading()
    {
        var store = await StoreAsync();
        var (first, _) = await store.WriteIfNewerAsync(Row(OrchestrationRuntimeStatus.Running, "step 1", 1), null);
        var (second, _) = await store.WriteIfNewerAsync(Row(OrchestrationRuntimeStatus.Running, "step 2", 2), first);

        Assert.NotNull(second);
        Assert.Equal("step 2", (await store.GetAsync("i1"))!.Value.Record.CustomStatus);
    }

    [Fact]
    public async Task The_etag_of_the_clients_insert_lets_the_first_worker_write_replace_the_row_and_a_stale_one_is_caught()
    {
        var store = await StoreAsync();
        var created = await store.TryCreateAsync(Row(OrchestrationRuntimeStatus.Pending, "created", 0), replacing: null);
        Assert.Null(await store.TryCreateAsync(Row(OrchestrationRuntimeStatus.Pending, "again", 0), replacing: null));

        var (first, _) = await store.WriteIfNewerAsync(Row(OrchestrationRuntimeStatus.Running, "step 1", 1), created);
        var late = await store.WriteIfNewerAsync(Row(OrchestrationRuntimeStatus.Running, "step 0", 1), created);

        Assert.NotNull(first);
        Assert.Equal((null, 1), late); // the insert's ETag is stale by now: the row is read, and the same revision is not written again
        Assert.Equal("step 1", (await store.GetAsync("i1"))!.Value.Record.CustomStatus);
    }
}
