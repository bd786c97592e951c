using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Ratify.Connectors;
using Ratify.Functions.Tests.Api;
using Ratify.Functions.Tests.Orchestration;
using Ratify.Testing;

namespace Ratify.Functions.Tests.Events;

[Collection(AzuriteCollection.Name)]
public sealed class RunStreamTests(AzuriteFixture azurite) : RunsApiTestBase(azurite)
{
    [Fact]
    public async Task Server_sent_events_arrive_in_order_with_outputs_and_artifacts_and_resume_after_any_event()
    {
        using var admin = Admin();
        await CreateWorkflowAsync(admin, PairWorkflow);
        var runId = await StartRunAsync(admin, "pair", new JsonObject { ["dealId"] = "D-7", ["amount"] = 21 });

        var events = await ReadSseAsync(admin, $"/v1/runs/{runId}/stream", null);

        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e["seq"]!.GetValue<long>()));
        Assert.Equal("run.started", Type(events[0]));
        Assert.Equal("run.completed", Type(events[^1]));
        foreach (var step in new[] { "fetch", "left", "right", "report" })
        {
            var started = events.FindIndex(e => Type(e) == "step.started" && StepId(e) == step);
            var completed = events.FindIndex(e => Type(e) == "step.completed" && StepId(e) == step);
            Assert.InRange(started, 1, completed - 1);
        }

        Assert.True(events.FindIndex(e => Type(e) == "step.completed" && StepId(e) == "report")
            > events.FindIndex(e => Type(e) == "step.completed" && StepId(e) == "left"));
        var report = events.Single(e => Type(e) == "step.completed" && StepId(e) == "report")["data"]!;
        Assert.Equal("Deal D-7: 42", report["output"]!["summary"]!.GetValue<string>());
        Assert.Equal(["data", "draft"], report["artifacts"]!.AsArray().Select(a => a!["name"]!.GetValue<string>()).Order());
        Assert.Equal(2, events.Count(e => Type(e) == "artifact.created"));
        var url = report["artifacts"]![0]!["url"]!.GetValue<string>();
        using (var artifact = await admin.GetAsync(url, Timeout))
        {
            Assert.Equal(HttpStatusCode.OK, artifact.StatusCode);
        }

        var resumed = await ReadSseAsync(admin, $"/v1/runs/{runId}/stream?after=3", null);
        Assert.Equal(events.Skip(3).Select(e => e.ToJsonString()), resumed.Select(e => e.ToJsonString()));
        var fromHeader = await ReadSseAsync(admin, $"/v1/runs/{runId}/stream", "5");
        Assert.Equal(events.Skip(5).Select(e => e.ToJsonString()), fromHeader.Select(e => e.ToJsonString()));
    }

    [Fact]
    public async Task A_websocket_carries_the_same_events_and_another_tenant_or_a_plain_get_is_refused()
    {
        using var admin = Admin();
        await CreateWorkflowAsync(admin, PairWorkflow);
        var runId = await StartRunAsync(admin, "pair", new JsonObject { ["dealId"] = "D-8", ["amount"] = 1 });
        var sse = await ReadSseAsync(admin, $"/v1/runs/{runId}/stream", null);

        var socketClient = App.Server.CreateWebSocketClient();
        socketClient.ConfigureRequest = r => r.Headers.Authorization = "Bearer " + Api.BootstrapAdminKey;
        using var socket = await socketClient.ConnectAsync(new Uri(App.Server.BaseAddress, $"/v1/runs/{runId}/stream"), Timeout);
        var received = new List<string>();
        var buffer = new byte[64 * 1024];
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, Timeout);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                break;
            }

            received.Add(Encoding.UTF8.GetString(buffer, 0, result.Count));
        }

        Assert.Equal(sse.Select(e => e.ToJsonString()), received.Select(r => JsonNode.Parse(r)!.ToJsonString()));

        using var other = await ClientWithAsync("other-tenant", "runs:read");
        using (var refused = await SendStreamRequestAsync(other, $"/v1/runs/{runId}/stream", null))
        {
            Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        }

        using var plain = await admin.GetAsync($"/v1/runs/{runId}/stream", Timeout);
        Assert.Equal(HttpStatusCode.NotAcceptable, plain.StatusCode);
    }

    [Fact]
    public async Task A_stream_on_one_host_follows_changes_made_on_another()
    {
        using var admin = Admin();
        await CreateWorkflowAsync(admin, SlowWorkflow);
        var runId = await StartRunAsync(admin, "slow", null);
        await WaitForStepAsync(admin, runId, "wait", "running");

        // A second host on the same task hub, with nothing in memory about this run.
        await using var factory = new RatifyApiFactory(Api.StorageConnectionString, Api.HubName, new Dictionary<string, string?> { ["Ratify:BootstrapAdminKey"] = Api.BootstrapAdminKey });
        await using var second = factory.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<IConnector, ScriptedConnector>()));
        using var remote = second.CreateClient();
        remote.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Api.BootstrapAdminKey);

        var reading = ReadSseAsync(remote, $"/v1/runs/{runId}/stream", null);
        using (var paused = await PostJsonAsync(admin, $"/v1/runs/{runId}/pause", "{}"))
        {
            Assert.Equal(HttpStatusCode.OK, paused.StatusCode);
        }

        using (var cancelled = await PostJsonAsync(admin, $"/v1/runs/{runId}/cancel", "{}"))
        {
            Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        }

        var events = await reading;
        var types = events.Select(Type).ToList();
        Assert.Equal("run.started", types[0]);
        Assert.Equal("run.cancelled", types[^1]);
        Assert.True(types.IndexOf("run.paused") > types.IndexOf("step.started"));
    }

    [Fact]
    public async Task Delays_retries_and_timeouts_are_published_as_step_events()
    {
        using var admin = Admin();
        await CreateWorkflowAsync(admin, """
            {"id": "timed", "name": "Timed", "steps": [
               {"id": "pause", "type": "delay", "with": {"duration": "PT0.5S"}},
               {"id": "flaky", "connector": "scripted", "dependsOn": ["pause"], "with": {"failTimes": 1},
                "retry": {"maxAttempts": 2, "backoff": "fixed", "initialInterval": "PT0.1S"}},
               {"id": "stuck", "connector": "scripted", "dependsOn": ["flaky"], "with": {"hang": true}, "timeout": "PT1S"}
             ]}
            """);
        var runId = await StartRunAsync(admin, "timed", null);

        var events = await ReadSseAsync(admin, $"/v1/runs/{runId}/stream", null);

        var steps = events.Where(e => StepId(e) is not null && Type(e) != "artifact.created")
            .Select(e => $"{Type(e)} {StepId(e)} {e["data"]!["attempt"]}").ToList();
        Assert.Equal(
            ["step.started pause 1", "step.completed pause 1", "step.started flaky 1", "step.retrying flaky 1", "step.started flaky 2",
             "step.completed flaky 2", "step.started stuck 1", "step.failed stuck 1"],
            steps);
        Assert.Equal("timeout", events.Single(e => Type(e) == "step.failed")["data"]!["error"]!["code"]!.GetValue<string>());
        Assert.Equal("run.failed", Type(events[^1]));
    }

    private async Task<List<JsonObject>> ReadSseAsync(HttpClient client, string path, string? lastEventId)
    {
        using var response = await SendStreamRequestAsync(client, path, lastEventId);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(Timeout));
        var events = new List<JsonObject>();
        string? id = null;
        while (await reader.ReadLineAsync(Timeout) is { } line)
        {
            if (line.StartsWith("id: ", StringComparison.Ordinal))
            {
                id = line[4..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                var item = JsonNode.Parse(line[6..])!.AsObject();
                Assert.Equal(id, item["seq"]!.ToJsonString());
                events.Add(item);
            }
        }

        return events;
    }

    private async Task<HttpResponseMessage> SendStreamRequestAsync(HttpClient client, string path, string? lastEventId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        return await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Timeout);
    }

    private static string Type(JsonObject e) => e["type"]!.GetValue<string>();

    private static string? StepId(JsonObject e) => e["data"]?["stepId"]?.GetValue<string>();
}
