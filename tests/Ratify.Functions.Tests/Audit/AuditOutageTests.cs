using Azure.Core;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Ratify.Functions.Audit;
using Ratify.Functions.Orchestration;
using Ratify.Functions.Runs;
using Ratify.Functions.Storage;
using Ratify.Functions.Tests.Orchestration;
using Ratify.Testing;

namespace Ratify.Functions.Tests.Audit;

/// <summary>An audit trail whose storage cannot be reached: the run ends failed and says why, instead of staying running.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AuditOutageTests(AzuriteFixture azurite)
{
    private static CancellationToken Timeout => new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;

    [Fact]
    public async Task A_run_whose_audit_records_cannot_be_written_ends_failed_with_audit_unavailable()
    {
        // The audit table lives on an endpoint nothing listens on, with no client retries: every append fails at once.
        var unreachable = new TableServiceClient(new Uri("http://127.0.0.1:1/devstoreaccount1"),
            new TableSharedKeyCredential("devstoreaccount1", Convert.ToBase64String(new byte[64])),
            new TableClientOptions { Retry = { MaxRetries = 0, NetworkTimeout = TimeSpan.FromSeconds(5) } });
        await using var harness = new RunHarness(azurite, services: s => s.AddSingleton(sp => new AuditTrail(
            new AppTables(unreachable, "Unreachable"), sp.GetRequiredService<AppBlobs>(), sp.GetRequiredService<AuditSigner>(),
            sp.GetRequiredService<IOptions<AuditOptions>>(), TimeProvider.System)));

        // Every step reused, so that only the orchestrator's own records (run.finished) are written, twice tried.
        var runId = await harness.StartAsync("""
            {"id": "quiet", "name": "Quiet", "steps": [{"id": "done", "type": "transform", "with": {"n": 1}}]}
            """, null, Timeout, input => input with
        {
            AuditAttempts = 2,
            Reuse = new Dictionary<string, ReusedStep> { ["done"] = new(input.RunId, StepStatuses.Completed, 1) },
        });

        var progress = await harness.CompletionAsync(runId, Timeout);
        Assert.Equal((RunStatuses.Failed, "audit_unavailable"), (progress.Status, progress.Error?.Code));
        var row = await harness.Services.GetRequiredService<RunStore>().GetAsync("default", runId, Timeout);
        Assert.Equal((RunStatuses.Failed, "audit_unavailable"), (row!.Status, row.Error?.Code));
    }
}
