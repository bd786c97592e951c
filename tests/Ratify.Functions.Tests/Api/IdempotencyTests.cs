using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Ratify.Functions.Security;
using Ratify.Functions.Tests.Http;
using Ratify.Testing;

namespace Ratify.Functions.Tests.Api;

[Collection(AzuriteCollection.Name)]
public sealed class IdempotencyTests(AzuriteFixture azurite) : RunsApiTestBase(azurite)
{
    [Fact]
    public async Task The_same_key_and_body_return_the_same_run_marked_as_replayed()
    {
        using var admin = Admin();
        await CreateWorkflowAsync(admin, PairWorkflow);

        using var first = await StartAsync(admin, "key-1", """{"workflowId": "pair", "input": {"dealId": "d1", "amount": 5}}""");
        // The same request written differently: property order and spacing do not matter.
        using var second = await StartAsync(admin, "key-1", """{ "input": {"amount": 5, "dealId": "d1"},  "workflowId": "pair" }""");

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.False(first.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal("true", second.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        // The same run, with its status as it stands now (the first answer said running; it may have finished since).
        var firstBody = JsonNode.Parse(await first.Content.ReadAsStringAsync(Timeout))!;
        var secondBody = JsonNode.Parse(await second.Content.ReadAsStringAsync(Timeout))!;
        Assert.Equal(firstBody["runId"]!.GetValue<string>(), secondBody["runId"]!.GetValue<string>());
        Assert.Equal("running", firstBody["status"]!.GetValue<string>());
        Assert.Single((await GetJsonAsync(admin, "/v1/runs"))["runs"]!.AsArray());
    }

    [Fact]
    public async Task The_same_key_with_another_body_is_a_conflict()
    {
        using var admin = Admin();
        await CreateWorkflowAsync(admin, PairWorkflow);
        using var first = await StartAsync(admin, "key-1", """{"workflowId": "pair", "input": {"dealId": "d1"}}""");

        using var second = await StartAsync(admin, "key-1", """{"workflowId": "pair", "input": {"dealId": "d2"}}""");

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var problem = await ProblemAssert.IsProblemAsync(second, HttpStatusCode.Conflict, Timeout);
        Assert.Contains("different request body", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Concurrent_requests_with_one_key_start_one_run()
    {
        using var admin = Admin();
        await CreateWorkflowAsync(admin, PairWorkflow);

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            StartAsync(admin, "burst", """{"workflowId": "pair", "input": {"dealId": "d1"}}""")));

        try
        {
            Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
            Assert.Single(responses.Select(r => r.Headers.Location).Distinct());
            Assert.Single(responses, r => !r.Headers.Contains("Idempotent-Replayed"));
            Assert.Single((await GetJsonAsync(admin, "/v1/runs"))["runs"]!.AsArray());
        }
        finally
        {
            foreach (var response in responses)
            {
                response.Dispose();
            }
        }
    }

    [Fact]
    public async Task Keys_belong_to_a_tenant_and_a_refused_request_does_not_use_up_its_key()
    {
        using var admin = Admin();
        using var other = await ClientWithAsync("other-tenant", RatifyScopes.RunsWrite, RatifyScopes.WorkflowsWrite, RatifyScopes.RunsRead);
        await CreateWorkflowAsync(admin, PairWorkflow);
        await CreateWorkflowAsync(other, PairWorkflow);

        // Invalid input: refused, and the key stays free for the corrected request.
        using var refused = await StartAsync(admin, "shared", """{"workflowId": "pair", "input": {}}""");
        using var mine = await StartAsync(admin, "shared", """{"workflowId": "pair", "input": {"dealId": "d1"}}""");
        using var theirs = await StartAsync(other, "shared", """{"workflowId": "pair", "input": {"dealId": "d1"}}""");
        using var badKey = await StartAsync(admin, new string('k', 256), """{"workflowId": "pair", "input": {"dealId": "d1"}}""");

        await ProblemAssert.IsProblemAsync(refused, HttpStatusCode.BadRequest, Timeout);
        Assert.Equal(HttpStatusCode.Created, mine.StatusCode);
        Assert.Equal(HttpStatusCode.Created, theirs.StatusCode);
        Assert.False(theirs.Headers.Contains("Idempotent-Replayed"));
        Assert.NotEqual(mine.Headers.Location, theirs.Headers.Location);
        await ProblemAssert.IsProblemAsync(badKey, HttpStatusCode.BadRequest, Timeout);
    }

    private Task<HttpResponseMessage> StartAsync(HttpClient client, string key, string body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/runs") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("Idempotency-Key", key);
        return client.SendAsync(request, Timeout);
    }
}
