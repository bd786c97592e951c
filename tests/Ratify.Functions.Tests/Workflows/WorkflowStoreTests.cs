using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Ratify.Functions.Storage;
using Ratify.Functions.Workflows;
using Ratify.Testing;

namespace Ratify.Functions.Tests.Workflows;

[Collection(AzuriteCollection.Name)]
public sealed class WorkflowStoreTests(AzuriteFixture azurite)
{
    private const string Tenant = "tnt_1";

    private readonly AppTables _tables = new(new TableServiceClient(azurite.ConnectionString), TestNames.NewHub());

    private WorkflowStore Store() => new(_tables);

    private static WorkflowDefinition Definition(string id = "deal-alert", string name = "Deal alert", string? description = null) =>
        Definitions.Parse(Definitions.DealAlert).Definition! with { Id = id, Name = name, Description = description };

    [Fact(Timeout = 30_000)]
    public async Task CreateAsync_NewWorkflow_StoresVersionOne()
    {
        var created = await Store().CreateAsync(Tenant, Definition());

        var read = await Store().GetAsync(Tenant, "deal-alert");

        Assert.Equal(1, created.Version);
        Assert.Equal(1, read.Version);
        Assert.Equal(1, read.Workflow.LatestVersion);
        Assert.False(read.Workflow.Archived);
        Assert.Equal("Deal alert", read.Workflow.Name);
        Assert.Equal(["fetch", "score", "notify"], read.Definition.Steps.Select(s => s.Id));
        Assert.Equal("steps.score.output.value > 10000", read.Definition.Steps[2].If);
    }

    [Fact(Timeout = 30_000)]
    public async Task CreateAsync_ExistingId_ThrowsConflict()
    {
        await Store().CreateAsync(Tenant, Definition());

        await Assert.ThrowsAsync<WorkflowConflictException>(() => Store().CreateAsync(Tenant, Definition(name: "Again")));
    }

    [Fact(Timeout = 30_000)]
    public async Task CreateAsync_SameIdInAnotherTenant_IsSeparate()
    {
        await Store().CreateAsync(Tenant, Definition());
        await Store().CreateAsync("tnt_2", Definition(name: "Theirs"));

        Assert.Equal("Deal alert", (await Store().GetAsync(Tenant, "deal-alert")).Workflow.Name);
        Assert.Equal("Theirs", (await Store().GetAsync("tnt_2", "deal-alert")).Workflow.Name);
        await Assert.ThrowsAsync<WorkflowNotFoundException>(() => Store().GetAsync("tnt_3", "deal-alert"));
    }

    [Fact(Timeout = 30_000)]
    public async Task AddVersionAsync_ExistingWorkflow_KeepsEveryVersion()
    {
        await Store().CreateAsync(Tenant, Definition());

        var second = await Store().AddVersionAsync(Tenant, Definition(name: "Deal alert v2"));

        Assert.Equal(2, second.Version);
        Assert.Equal("Deal alert v2", (await Store().GetAsync(Tenant, "deal-alert")).Definition.Name);
        Assert.Equal("Deal alert", (await Store().GetAsync(Tenant, "deal-alert", 1)).Definition.Name);
        Assert.Equal(2, (await Store().GetAsync(Tenant, "deal-alert", 1)).Workflow.LatestVersion);
        await Assert.ThrowsAsync<WorkflowNotFoundException>(() => Store().GetAsync(Tenant, "deal-alert", 3));
        await Assert.ThrowsAsync<WorkflowNotFoundException>(() => Store().GetAsync(Tenant, "deal-alert", 0));
    }

    [Fact(Timeout = 30_000)]
    public async Task AddVersionAsync_UnknownWorkflow_ThrowsNotFound()
    {
        await Assert.ThrowsAsync<WorkflowNotFoundException>(() => Store().AddVersionAsync(Tenant, Definition("nope")));
    }

    [Fact(Timeout = 30_000)]
    public async Task AddVersionAsync_StaleExpectedVersion_ThrowsConflict()
    {
        await Store().CreateAsync(Tenant, Definition());
        await Store().AddVersionAsync(Tenant, Definition(), expectedVersion: 1);

        await Assert.ThrowsAsync<WorkflowConflictException>(() => Store().AddVersionAsync(Tenant, Definition(), expectedVersion: 1));
    }

    [Fact(Timeout = 30_000)]
    public async Task AddVersionAsync_ConcurrentWriters_EachGetsADistinctVersion()
    {
        await Store().CreateAsync(Tenant, Definition());

        var writes = Enumerable.Range(0, 6).Select(i => Task.Run(() => new WorkflowStore(_tables).AddVersionAsync(Tenant, Definition(name: $"writer {i}"))));
        var results = await Task.WhenAll(writes);

        Assert.Equal([2, 3, 4, 5, 6, 7], results.Select(r => r.Version).Order());
        var latest = await Store().GetAsync(Tenant, "deal-alert");
        Assert.Equal(7, latest.Version);
        foreach (var result in results)
        {
            Assert.Equal(result.Definition.Name, (await Store().GetAsync(Tenant, "deal-alert", result.Version)).Definition.Name);
        }
    }

    [Fact(Timeout = 30_000)]
    public async Task ArchiveAsync_Workflow_IsHiddenFromListAndRefusesVersions()
    {
        await Store().CreateAsync(Tenant, Definition());
        await Store().CreateAsync(Tenant, Definition("other"));

        var archived = await Store().ArchiveAsync(Tenant, "deal-alert");
        await Store().ArchiveAsync(Tenant, "deal-alert");

        Assert.True(archived.Archived);
        Assert.True((await Store().GetAsync(Tenant, "deal-alert")).Workflow.Archived);
        Assert.Equal(["other"], (await Store().ListAsync(Tenant)).Items.Select(w => w.Id));
        Assert.Equal(["deal-alert", "other"], (await Store().ListAsync(Tenant, includeArchived: true)).Items.Select(w => w.Id));
        await Assert.ThrowsAsync<WorkflowArchivedException>(() => Store().AddVersionAsync(Tenant, Definition()));
        await Assert.ThrowsAsync<WorkflowConflictException>(() => Store().CreateAsync(Tenant, Definition()));
        await Assert.ThrowsAsync<WorkflowNotFoundException>(() => Store().ArchiveAsync(Tenant, "missing"));
    }

    [Fact(Timeout = 30_000)]
    public async Task ListAsync_ManyWorkflows_PagesThroughHeadsOnly()
    {
        foreach (var id in new[] { "a", "b", "c", "d", "e" })
        {
            await Store().CreateAsync(Tenant, Definition(id, description: "about " + id));
        }

        await Store().AddVersionAsync(Tenant, Definition("b", description: "about b, again"));

        var ids = new List<string>();
        string? token = null;
        do
        {
            var page = await Store().ListAsync(Tenant, limit: 2, continuationToken: token);
            ids.AddRange(page.Items.Select(w => w.Id));
            token = page.ContinuationToken;
        }
        while (token is not null);

        Assert.Equal(["a", "b", "c", "d", "e"], ids);
        var b = (await Store().ListAsync(Tenant, limit: 10)).Items.Single(w => w.Id == "b");
        Assert.Equal(2, b.LatestVersion);
        Assert.Equal("about b, again", b.Description);
    }

    [Fact(Timeout = 30_000)]
    public async Task CreateAsync_LargeDefinition_IsSplitAndReassembled()
    {
        var text = string.Concat(Enumerable.Range(0, 20_000).Select(i => $"line {i} "));
        var definition = Definition() with
        {
            Steps = [new StepDefinition { Id = "big", Type = StepTypes.Transform, With = new JsonObject { ["text"] = text } }],
        };

        await Store().CreateAsync(Tenant, definition);
        var read = await Store().GetAsync(Tenant, "deal-alert");

        Assert.True(text.Length > 3 * WorkflowStore.ChunkLength);
        Assert.Equal(text, read.Definition.Steps[0].With!["text"]!.GetValue<string>());
    }
}
