using System.Net;
using System.Text;
using System.Text.Json;
using Ratify.Functions.Tests.Api;
using Ratify.Testing;

namespace Ratify.Functions.Tests.Http;

/// <summary>Small truths of the API: garbage paging tokens are refused, and binding errors speak JSON, not .NET.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class ApiTruthsTests(AzuriteFixture azurite) : RunsApiTestBase(azurite)
{
    [Fact(Timeout = 60_000)]
    public async Task A_continuation_token_that_no_listing_returned_is_a_400()
    {
        using var admin = Admin();
        await CreateWorkflowAsync(admin, PairWorkflow);
        await CreateWorkflowAsync(admin, SlowWorkflow);
        var workflowsPage = await GetJsonAsync(admin, "/v1/workflows?limit=1");
        var workflowsToken = workflowsPage["continuationToken"]!.GetValue<string>();

        foreach (var path in new[]
        {
            "/v1/runs?continuationToken=garbage",
            "/v1/workflows?continuationToken=garbage",
            "/v1/workflows?continuationToken=" + Uri.EscapeDataString("default pair"),
            "/v1/runs?continuationToken=" + Uri.EscapeDataString(workflowsToken),
        })
        {
            using var response = await admin.GetAsync(path, Timeout);
            var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, Timeout);
            Assert.Contains("continuationToken", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        var next = await GetJsonAsync(admin, "/v1/workflows?limit=1&continuationToken=" + Uri.EscapeDataString(workflowsToken));
        Assert.Single(next["workflows"]!.AsArray());
    }

    [Theory(Timeout = 60_000)]
    [InlineData("/v1/runs", """{"workflowId": 5}""", "/workflowId", "must be a string")]
    [InlineData("/v1/runs", """{"workflowId": "pair", "version": "two"}""", "/version", "must be a whole number")]
    [InlineData("/v1/runs/run_x/replay", """{"fromStep": "a", "dryRun": "yes"}""", "/dryRun", "must be true or false")]
    [InlineData("/v1/keys", """{"name": "k", "scopes": "admin"}""", "/scopes", "must be an array")]
    [InlineData("/v1/runs", """[1, 2]""", "", "must be an object")]
    [InlineData("/v1/runs", """{"workflowId": """, "/workflowId", "not valid JSON")]
    public async Task Binding_errors_name_the_json_field_never_a_dotnet_type(string path, string body, string pointer, string message)
    {
        using var admin = Admin();
        using var response = await admin.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"), Timeout);

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, Timeout);
        var text = problem.GetRawText();
        Assert.DoesNotContain("Ratify.", text, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Request", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var error = problem.GetProperty("errors").EnumerateArray().Single();
        Assert.Equal(pointer, error.GetProperty("pointer").GetString());
        Assert.Contains(message, problem.GetProperty("detail").GetString() + " " + error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}
