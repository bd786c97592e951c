using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Ratify.Functions.Runs;
using Ratify.Testing;

namespace Ratify.Functions.Tests.Orchestration;

[Collection(AzuriteCollection.Name)]
public sealed class DemoWorkflowTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task The_demo_workflow_that_the_run_script_seeds_completes_with_its_alert_artifact()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var harness = new RunHarness(azurite);
        var definition = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Path, "demo", "deal-alert-pipeline.json"), timeout.Token);

        var runId = await harness.StartAsync(definition, new JsonObject { ["dealId"] = "d_8k2x", ["amount"] = 42000 }, timeout.Token);
        var progress = await harness.CompletionAsync(runId, timeout.Token);
        var alert = await harness.Services.GetRequiredService<StepResultStore>().GetArtifactAsync(runId, "draft", "alert", timeout.Token);

        Assert.Equal(RunStatuses.Completed, progress.Status);
        Assert.Equal(StepStatuses.Completed, progress.Steps["draft"].Status);
        Assert.Equal("# Big deal d_8k2x\n\nTier: large, owner: sales@example.com (emea).", alert!.Value.Content.ToString());
    }
}
