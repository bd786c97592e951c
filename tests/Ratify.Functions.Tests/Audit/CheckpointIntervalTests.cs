using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Ratify.Functions.Audit;
using Ratify.Testing;

namespace Ratify.Functions.Tests.Audit;

/// <summary>Checkpoints by time: a chain that grows slowly (a tenant log) is signed without waiting for a count of records.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class CheckpointIntervalTests(AzuriteFixture azurite) : AuditApiTestBase(azurite, new Dictionary<string, string?>
{
    ["Ratify:Audit:CheckpointEvery"] = "0",
    ["Ratify:Audit:CheckpointInterval"] = "00:00:00.001",
})
{
    [Fact]
    public async Task A_tenant_log_record_appended_after_the_interval_carries_a_signed_checkpoint()
    {
        using var admin = Admin();
        await CreateWorkflowAsync(admin, PairWorkflow);
        await CreateWorkflowAsync(admin, SlowWorkflow);

        var checkpoints = await Services.GetRequiredService<AuditReader>().CheckpointsAsync(AuditScopes.Tenant("default"), Timeout);
        Assert.NotEmpty(checkpoints);
        using var verify = await PostJsonAsync(admin, "/v1/audit/verify", """{"scope": "log"}""");
        Assert.Equal(HttpStatusCode.OK, verify.StatusCode);
        var verified = JsonNode.Parse(await verify.Content.ReadAsStringAsync(Timeout))!;
        Assert.True(verified["valid"]!.GetValue<bool>(), verified.ToJsonString());
        Assert.Equal(checkpoints[^1].Sequence, verified["sealedThrough"]!.GetValue<long>());
    }
}
