using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Ratify.Connectors;
using Ratify.Functions.Tests.Http;
using Ratify.Functions.Tests.Orchestration;
using Ratify.Testing;

namespace Ratify.Functions.Tests.Api;

/// <summary>An API test with the real host (durable worker included) plus the test's <c>scripted</c> connector, and helpers for workflows and runs.</summary>
public abstract class RunsApiTestBase : ApiTestBase
{
    /// <summary>transform steps in a diamond, with a markdown and a json artifact, and an input schema.</summary>
    protected const string PairWorkflow = """
        {"id": "pair", "name": "Pair",
         "inputSchema": {"type": "object", "required": ["dealId"],
                         "properties": {"dealId": {"type": "string"}, "amount": {"type": "number"}}},
         "steps": [
           {"id": "fetch", "type": "transform", "with": {"amount": "{{input.amount}}", "deal": "{{input.dealId}}"}},
           {"id": "left", "type": "transform", "dependsOn": ["fetch"], "with": {"double": "{{steps.fetch.output.amount * 2}}"}},
           {"id": "right", "type": "transform", "dependsOn": ["fetch"], "with": {"deal": "{{steps.fetch.output.deal}}"}},
           {"id": "report", "type": "transform", "dependsOn": ["left", "right"],
            "with": {"summary": "Deal {{input.dealId}}: {{steps.left.output.double}}"},
            "artifacts": [{"name": "draft", "type": "markdown", "value": "# {{output.summary}}"},
                          {"name": "data", "type": "json", "value": {"total": "{{steps.left.output.double}}"}}]}
         ]}
        """;

    /// <summary>A run that stays running for an hour on a durable timer: something to pause, resume and cancel.</summary>
    protected const string SlowWorkflow = """
        {"id": "slow", "name": "Slow", "steps": [
           {"id": "first", "type": "transform", "with": {"n": 1}},
           {"id": "wait", "type": "delay", "dependsOn": ["first"], "with": {"duration": "PT1H"}},
           {"id": "last", "type": "transform", "dependsOn": ["wait"], "with": {"n": 2}}
         ]}
        """;

    private readonly WebApplicationFactory<Program> _app;

    protected RunsApiTestBase(AzuriteFixture azurite, IReadOnlyDictionary<string, string?>? settings = null, TimeSpan? timeout = null)
        : base(azurite, settings, timeout)
    {
        // Disposed with Api, which disposes the factories derived from it.
        _app = Api.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<IConnector, ScriptedConnector>()));
    }

    /// <summary>The host under test (with the scripted connector), for reaching its services.</summary>
    protected IServiceProvider Services => _app.Services;

    /// <summary>The factory of the host under test (e.g. to serve it over Kestrel for a browser).</summary>
    protected WebApplicationFactory<Program> App => _app;

    /// <summary>Serves the host over Kestrel on a free loopback port (for a browser) and returns its base URL.</summary>
    protected string ServeOverLoopback() => RatifyApiFactory.ServeOverLoopback(_app);

    /// <summary>A client with the bootstrap admin key (tenant <c>default</c>).</summary>
    protected HttpClient Admin() => Client(Api.BootstrapAdminKey);

    /// <summary>A client that sends <paramref name="apiKey"/>.</summary>
    protected HttpClient Client(string apiKey)
    {
        var client = _app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        return client;
    }

    /// <summary>A client for a new key in <paramref name="tenantId"/> with <paramref name="scopes"/>.</summary>
    protected async Task<HttpClient> ClientWithAsync(string tenantId, params string[] scopes)
    {
        using var admin = Admin();
        var key = await CreateKeyAsync(admin, "test key", scopes, tenantId);
        return Client(key.Secret);
    }

    protected async Task<JsonObject> CreateWorkflowAsync(HttpClient client, string definition)
    {
        using var response = await PostJsonAsync(client, "/v1/workflows", definition);
        var text = await response.Content.ReadAsStringAsync(Timeout);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    protected async Task<string> StartRunAsync(HttpClient client, string workflowId, JsonNode? input)
    {
        using var response = await client.PostAsJsonAsync("/v1/runs", new { workflowId, input }, Timeout);
        var text = await response.Content.ReadAsStringAsync(Timeout);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!["runId"]!.GetValue<string>();
    }

    protected Task<HttpResponseMessage> PostJsonAsync(HttpClient client, string path, string json) =>
        client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"), Timeout);

    protected async Task<JsonObject> GetJsonAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path, Timeout);
        var text = await response.Content.ReadAsStringAsync(Timeout);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    /// <summary>Reads the run until <paramref name="status"/> (polling with the test's deadline, no fixed sleep).</summary>
    protected async Task<JsonObject> WaitForStatusAsync(HttpClient client, string runId, string status)
    {
        var delay = TimeSpan.FromMilliseconds(20);
        while (true)
        {
            var run = await GetJsonAsync(client, $"/v1/runs/{runId}");
            if (run["status"]!.GetValue<string>() == status)
            {
                return run;
            }

            await Task.Delay(delay, Timeout);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 200));
        }
    }

    /// <summary>Reads the run until step <paramref name="stepId"/> has <paramref name="status"/>.</summary>
    protected async Task<JsonObject> WaitForStepAsync(HttpClient client, string runId, string stepId, string status)
    {
        var delay = TimeSpan.FromMilliseconds(20);
        while (true)
        {
            var run = await GetJsonAsync(client, $"/v1/runs/{runId}");
            if (Step(run, stepId)["status"]!.GetValue<string>() == status)
            {
                return run;
            }

            await Task.Delay(delay, Timeout);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 200));
        }
    }

    /// <summary>
    /// Lists <paramref name="query"/> until it holds <paramref name="count"/> runs: listings read the Runs table, which takes a run's
    /// final status a moment after the run itself reports it.
    /// </summary>
    protected async Task<JsonObject> WaitForListingAsync(HttpClient client, string query, int count)
    {
        var delay = TimeSpan.FromMilliseconds(20);
        while (true)
        {
            var page = await GetJsonAsync(client, "/v1/runs" + query);
            if (page["runs"]!.AsArray().Count == count)
            {
                return page;
            }

            await Task.Delay(delay, Timeout);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 200));
        }
    }

    protected static JsonObject Step(JsonObject run, string stepId) =>
        run["steps"]!.AsArray().Single(s => s!["id"]!.GetValue<string>() == stepId)!.AsObject();

    protected static string Status(JsonNode node) => node["status"]!.GetValue<string>();

    /// <summary>The pointers of a 400/422 problem's errors.</summary>
    protected static async Task<IReadOnlyList<string>> ProblemPointersAsync(HttpResponseMessage response, HttpStatusCode status, CancellationToken cancellationToken)
    {
        var problem = await ProblemAssert.IsProblemAsync(response, status, cancellationToken);
        return [.. problem.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("pointer").GetString()!)];
    }
}
