using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Ratify.Functions.Approvals;
using Ratify.Functions.Orchestration;
using Ratify.Functions.Runs;
using Ratify.Testing;

namespace Ratify.Functions.Tests.Orchestration;

[Collection(AzuriteCollection.Name)]
public sealed class DemoWorkflowTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task The_demo_workflow_that_the_run_script_seeds_stops_at_its_gate_and_completes_once_approved()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var harness = new RunHarness(azurite);
        var definition = await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Path, "demo", "deal-alert-pipeline.json"), timeout.Token);

        var runId = await harness.StartAsync(definition, new JsonObject { ["dealId"] = "d_8k2x", ["amount"] = 42000 }, timeout.Token);
        var waiting = await WaitingAsync(harness, runId, timeout.Token);
        var approvalId = waiting.Steps["review"].ApprovalId!;
        var resolved = await harness.Services.GetRequiredService<ApprovalResolver>()
            .ResolveAsync("default", approvalId, "key:key_demo", "key:key_demo", ApprovalResolver.Approve, "send it", timeout.Token);
        Assert.Equal(ResolveResult.Decided, resolved!.Value.Result);
        var progress = await harness.CompletionAsync(runId, timeout.Token);
        var alert = await harness.Services.GetRequiredService<StepResultStore>().GetArtifactAsync(runId, "draft", "alert", timeout.Token);

        Assert.Equal(RunStatuses.Completed, progress.Status);
        Assert.Equal(StepStatuses.Completed, progress.Steps["draft"].Status);
        Assert.Equal("# Big deal d_8k2x\n\nTier: large, owner: sales@example.com (emea).", alert!.Value.Content.ToString());
        Assert.Equal(StepStatuses.Completed, progress.Steps["send"].Status);
    }

    private static async Task<RunProgress> WaitingAsync(RunHarness harness, string runId, CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromMilliseconds(20);
        while (true)
        {
            var instance = await harness.Client.GetInstanceAsync(runId, getInputsAndOutputs: true, cancellation: cancellationToken);
            if (instance?.ReadCustomStatusAs<RunProgress>() is { Status: RunStatuses.WaitingApproval } progress)
            {
                return progress;
            }

            await Task.Delay(delay, cancellationToken);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 200));
        }
    }
}
