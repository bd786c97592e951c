using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Ratify.Connectors;
using Ratify.Functions.Events;
using Ratify.Functions.Runs;
using Ratify.Functions.Security;
using Ratify.Functions.Tests.Approvals;
using Ratify.Functions.Tests.Orchestration;
using Ratify.Testing;
using static Ratify.Functions.Tests.Events.SseStream;

namespace Ratify.Functions.Tests.Events;

[Collection(AzuriteCollection.Name)]
public sealed class TenantStreamTests(AzuriteFixture azurite) : ApprovalTestBase(azurite)
{
    [Fact(Timeout = 60_000)]
    public async Task The_tenant_stream_carries_every_run_in_order_per_run_and_resumes_after_any_cursor()
    {
        using var admin = Admin();
        await CreateWorkflowAsync(admin, PairWorkflow);
        var reading = ReadUntilAsync(admin, "/v1/stream?after=0", e => e.Count(x => Type(x) == "run.completed") == 3, Timeout);
        var runIds = await Task.WhenAll(Enumerable.Range(0, 3).Select(i => StartRunAsync(admin, "pair", new JsonObject { ["dealId"] = $"D-{i}", ["amount"] = i })));
        var events = await reading;

        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(Cursor));
        Assert.Equal(runIds.Order(), events.Select(RunId).Distinct().Order());
        foreach (var run in events.GroupBy(RunId))
        {
            Assert.Equal(Enumerable.Range(1, run.Count()).Select(i => (long)i), run.Select(Seq));
            Assert.Equal("run.started", Type(run.First()));
            Assert.Equal("run.completed", Type(run.Last()));
        }

        var last = Cursor(events[^1]);
        var resumed = await ReadUntilAsync(admin, "/v1/stream?after=7", e => e.Count > 0 && Cursor(e[^1]) == last, Timeout);
        Assert.Equal(events.Skip(7).Select(e => e.ToJsonString()), resumed.Select(e => e.ToJsonString()));
        var fromHeader = await ReadUntilAsync(admin, "/v1/stream", e => e.Count > 0 && Cursor(e[^1]) == last, Timeout, lastEventId: "12");
        Assert.Equal(events.Skip(12).Select(e => e.ToJsonString()), fromHeader.Select(e => e.ToJsonString()));

        // Without a cursor the stream starts with what happens next.
        using var fromNow = await OpenAsync(admin, "/v1/stream", null, Timeout);
        var next = await StartRunAsync(admin, "pair", new JsonObject { ["dealId"] = "D-9" });
        var later = await ReadOpenAsync(fromNow, e => e.Any(x => Type(x) == "run.completed"));
        Assert.All(later, e => Assert.Equal(next, RunId(e)));
        Assert.Equal(last + 1, Cursor(later[0]));
    }

    [Fact(Timeout = 60_000)]
    public async Task The_tenant_stream_on_one_host_follows_runs_changed_on_another_and_never_shows_another_tenant()
    {
        using var admin = Admin();
        await CreateWorkflowAsync(admin, SlowWorkflow);
        var runId = await StartRunAsync(admin, "slow", null);
        await WaitForStepAsync(admin, runId, "wait", "running");

        await using var factory = new RatifyApiFactory(Api.StorageConnectionString, Api.HubName, new Dictionary<string, string?> { ["Ratify:BootstrapAdminKey"] = Api.BootstrapAdminKey });
        await using var second = factory.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<IConnector, ScriptedConnector>()));
        using var remote = second.CreateClient();
        remote.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Api.BootstrapAdminKey);
        var reading = ReadUntilAsync(remote, "/v1/stream?after=0", e => e.Any(x => Type(x) == "run.cancelled"), Timeout);

        using var other = await ClientWithAsync("other-tenant", RatifyScopes.RunsRead, RatifyScopes.RunsWrite, RatifyScopes.WorkflowsWrite);
        await CreateWorkflowAsync(other, PairWorkflow);
        var otherReading = ReadUntilAsync(other, "/v1/stream?after=0", e => e.Any(x => Type(x) == "run.completed"), Timeout);
        var otherRun = await StartRunAsync(other, "pair", new JsonObject { ["dealId"] = "X" });

        using (var cancelled = await PostJsonAsync(admin, $"/v1/runs/{runId}/cancel", "{}"))
        {
            Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        }

        var events = await reading;
        Assert.All(events, e => Assert.Equal(runId, RunId(e)));
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(Seq));
        Assert.Equal("run.started", Type(events[0]));
        Assert.All(await otherReading, e => Assert.Equal(otherRun, RunId(e)));
    }

    [Fact(Timeout = 60_000)]
    public async Task Approval_events_carry_the_approval_and_its_links_only_for_keys_that_may_resolve()
    {
        using var admin = Admin();
        var (agent, _) = await AgentAsync();
        using var reader = await ClientWithAsync("default", RatifyScopes.RunsRead);
        await CreateWorkflowAsync(admin, GateWorkflow("gated", "{}"));
        var (runId, approvalId) = await StartAtGateAsync(admin, "gated");

        var seen = await ReadUntilAsync(agent, "/v1/stream?after=0", e => e.Any(x => Type(x) == "approval.requested"), Timeout);
        var requested = seen.Single(x => Type(x) == "approval.requested")["data"]!;
        Assert.Equal(approvalId, requested["approvalId"]!.GetValue<string>());
        Assert.Equal("gate", requested["stepId"]!.GetValue<string>());
        using (var approved = await PostJsonAsync(agent, requested["links"]!["approve"]!.GetValue<string>(), "{}"))
        {
            Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        }

        var run = await ReadUntilAsync(reader, $"/v1/runs/{runId}/stream", _ => false, Timeout, idField: "seq");
        var types = run.Select(Type).ToList();
        Assert.True(types.IndexOf("approval.requested") < types.IndexOf("approval.resolved"));
        Assert.Null(run.Single(x => Type(x) == "approval.requested")["data"]!["links"]);
        var resolved = run.Single(x => Type(x) == "approval.resolved")["data"]!;
        Assert.Equal("approved", resolved["status"]!.GetValue<string>());
        Assert.Equal(approvalId, resolved["approvalId"]!.GetValue<string>());
        Assert.Equal("run.completed", types[^1]);
        agent.Dispose();
    }

    [Fact(Timeout = 60_000)]
    public async Task A_slow_consumer_of_the_tenant_feed_gets_every_event_once_in_order_while_writers_race()
    {
        var log = Services.GetRequiredService<RunEventLog>();
        var follower = Services.GetRequiredService<TenantEventFollower>();
        var runs = new[] { RunIds.New(DateTimeOffset.UtcNow), RunIds.New(DateTimeOffset.UtcNow.AddSeconds(-1)) };
        const int PerRun = 60;
        var writers = runs.Select(runId => Task.Run(async () =>
        {
            for (var i = 0; i < PerRun; i++)
            {
                await log.AppendOrThrowAsync("slow-tenant", runId, "step.started", new JsonObject { ["i"] = i }, Timeout);
            }
        })).ToList();

        var received = new List<RunEvent>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Timeout);
        var following = follower.FollowAsync("slow-tenant", 0, async e =>
        {
            received.Add(e);
            if (received.Count == runs.Length * PerRun)
            {
                await stop.CancelAsync();
            }

            await Task.Delay(TimeSpan.FromMilliseconds(1), Timeout); // a consumer slower than the writers
        }, () => Task.CompletedTask, stop.Token);

        await Task.WhenAll(writers);
        try
        {
            await following;
        }
        catch (OperationCanceledException)
        {
            // Stopped once everything arrived.
        }

        Assert.Equal(Enumerable.Range(1, runs.Length * PerRun).Select(i => (long)i), received.Select(e => e.Cursor));
        foreach (var runId in runs)
        {
            var mine = received.Where(e => e.RunId == runId).ToList();
            Assert.Equal(Enumerable.Range(1, PerRun).Select(i => (long)i), mine.Select(e => e.Seq));
            Assert.Equal(Enumerable.Range(0, PerRun), mine.Select(e => e.Data["i"]!.GetValue<int>()));
        }
    }

    private async Task<List<JsonObject>> ReadOpenAsync(HttpResponseMessage response, Func<List<JsonObject>, bool> done)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(Timeout));
        var events = new List<JsonObject>();
        while (!done(events) && await reader.ReadLineAsync(Timeout) is { } line)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                events.Add(JsonNode.Parse(line[6..])!.AsObject());
            }
        }

        return events;
    }
}
