using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Ratify.Functions.Tests.Api;
using Ratify.Testing;

namespace Ratify.Functions.Tests.Events;

[Collection(AzuriteCollection.Name)]
public sealed class StartAndWaitTests(AzuriteFixture azurite) : RunsApiTestBase(azurite)
{
    [Fact]
    public async Task A_start_that_waits_answers_with_the_finished_run_or_with_its_status_when_time_runs_out()
    {
        using var admin = Admin();
        await CreateWorkflowAsync(admin, PairWorkflow);
        await CreateWorkflowAsync(admin, SlowWorkflow);

        var finished = await StartAsync(admin, "/v1/runs?wait=20s", null, """{"workflowId": "pair", "input": {"dealId": "D-1", "amount": 2}}""");
        Assert.Equal("completed", finished["status"]!.GetValue<string>());
        Assert.Equal("Deal D-1: 4", finished["steps"]!.AsArray().Single(s => s!["id"]!.GetValue<string>() == "report")!["output"]!["summary"]!.GetValue<string>());

        var running = await StartAsync(admin, "/v1/runs", "respond-async, wait=1", """{"workflowId": "slow"}""");
        Assert.Equal("running", running["status"]!.GetValue<string>());
        Assert.Null(running["steps"]);

        using var bad = await PostJsonAsync(admin, "/v1/runs?wait=soon", """{"workflowId": "pair", "input": {"dealId": "D-1"}}""");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    private async Task<JsonObject> StartAsync(HttpClient client, string path, string? prefer, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (prefer is not null)
        {
            request.Headers.TryAddWithoutValidation("Prefer", prefer);
        }

        using var response = await client.SendAsync(request, Timeout);
        var text = await response.Content.ReadAsStringAsync(Timeout);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode}: {text}");
        Assert.True(response.Headers.Contains("Preference-Applied"));
        return JsonNode.Parse(text)!.AsObject();
    }
}
