using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Ratify.Connectors;
using Ratify.Functions.Telemetry;
using Ratify.Functions.Tests.Approvals;
using Ratify.Functions.Tests.Orchestration;
using Ratify.Testing;

namespace Ratify.Functions.Tests.Telemetry;

[Collection(AzuriteCollection.Name)]
public sealed class TelemetryTests : ApprovalTestBase
{
    private const string CrmKey = "crm_key_5b1e9d0c7a";

    // Known before the host is built: the host starts on first use, after the receiver.
    private readonly int _receiverPort;

    public TelemetryTests(AzuriteFixture azurite)
        : this(azurite, FreePort.Next())
    {
    }

    private TelemetryTests(AzuriteFixture azurite, int receiverPort)
        : base(azurite, Settings(receiverPort, "ratify-a"), TimeSpan.FromSeconds(120)) => _receiverPort = receiverPort;

    [Fact(Timeout = 120_000)]
    public async Task A_run_across_two_hosts_is_one_trace_with_a_span_per_step_and_carries_traceparent_into_connector_calls()
    {
        await using var receiver = await OtlpReceiver.StartAsync(_receiverPort);
        await using var remote = await StandInServer.StartAsync();
        using var admin = Admin();
        await CreateWorkflowAsync(admin, $$$"""
            {"id": "traced", "name": "Traced", "steps": [
              {"id": "fetch", "connector": "http",
               "with": {"method": "GET", "url": "{{{remote.BaseUrl}}}/deals/{{input.dealId}}?apiKey={{secrets.CRM_KEY}}"}},
              {"id": "gate", "type": "approval", "dependsOn": ["fetch"], "with": {"approvers": ["alice@example.com"]}},
              {"id": "after", "type": "transform", "dependsOn": ["gate"], "with": {"decision": "{{steps.gate.output.decision}}"}}
            ]}
            """);
        var (runId, approvalId) = await StartAtGateAsync(admin, "traced");
        var link = await LinkAsync(approvalId, "alice@example.com");
        var token = Uri.UnescapeDataString(link.Resolve.Split("token=")[1]);

        // The first host stops (its spans are flushed as it goes); the second takes the run's partition over and finishes it.
        await App.DisposeAsync();
        var second = new RatifyApiFactory(Api.StorageConnectionString, Api.HubName, Settings(_receiverPort, "ratify-b"));
        await using var _ = second;
        var host = second.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<IConnector, ScriptedConnector>()));
        using var person = host.CreateClient();
        using (var resolved = await ResolveAsync(person, link.Resolve, "approved"))
        {
            Assert.Equal(HttpStatusCode.OK, resolved.StatusCode);
        }

        using var secondAdmin = host.CreateClient();
        secondAdmin.DefaultRequestHeaders.Authorization = new("Bearer", second.BootstrapAdminKey);
        await WaitForStatusAsync(secondAdmin, runId, "completed");
        await host.Services.GetRequiredService<QueueDepthGauge>().RefreshAsync(Timeout);
        Flush(host.Services);

        var spans = receiver.Spans().DistinctBy(s => s.SpanId).ToList();
        var run = Assert.Single(spans, s => s.Name == "run traced" && s[RunTracing.RunIdTag] == runId);
        var steps = spans.Where(s => s[RunTracing.StepIdTag] is not null && s[RunTracing.RunIdTag] == runId).ToList();
        Assert.Equal(["after", "fetch"], steps.Select(s => s[RunTracing.StepIdTag]).Order(StringComparer.Ordinal));
        Assert.All(steps, s => Assert.Equal(run.TraceId, s.TraceId));
        Assert.All(steps, s => Assert.Equal(run.SpanId, s.ParentSpanId));
        var fetch = steps.Single(s => s[RunTracing.StepIdTag] == "fetch");
        Assert.Equal("step fetch", fetch.Name);
        Assert.Equal("http", fetch[RunMetrics.ConnectorTag]);
        Assert.Equal("completed", fetch[RunTracing.StatusTag]);
        Assert.Equal("ratify-a", fetch.Service);
        Assert.Equal("ratify-b", steps.Single(s => s[RunTracing.StepIdTag] == "after").Service);

        // The connector's call went out inside the step's span, and the remote server saw the run's trace.
        var call = Assert.Single(remote.Requests, r => r.Path == "/deals/d_1");
        var traceparent = call.Headers["traceparent"].Split('-');
        Assert.Equal(run.TraceId, traceparent[1]);
        var client = Assert.Single(spans, s => s.SpanId == traceparent[2]);
        Assert.Equal((int)ActivityKind.Client + 1, client.Kind);
        Assert.Equal(fetch.SpanId, client.ParentSpanId);
        Assert.Equal($"{remote.BaseUrl}/{UrlRedactionProcessor.Redacted}", client["url.full"]);

        // Metrics and logs went out too; the export is searched as bytes, which is where a leaked string would sit.
        Assert.True(receiver.Count("logs") > 0, "no log export arrived");
        Assert.True(receiver.Holds("ratify.step.duration"), "no step duration was exported");
        Assert.True(receiver.Holds("ratify.queue.depth"), "no queue depth was exported");
        Assert.True(receiver.Holds(runId));
        Assert.False(receiver.Holds(token), "an approval token was exported");
        Assert.False(receiver.Holds(Uri.EscapeDataString(token)), "an approval token was exported");
        Assert.False(receiver.Holds(Api.BootstrapAdminKey), "an API key was exported");
        Assert.False(receiver.Holds(second.BootstrapAdminKey), "an API key was exported");
        Assert.False(receiver.Holds(CrmKey), "a connector secret was exported");
    }

    private static void Flush(IServiceProvider services)
    {
        Assert.True(services.GetRequiredService<TracerProvider>().ForceFlush(10_000));
        Assert.True(services.GetRequiredService<MeterProvider>().ForceFlush(10_000));
        Assert.True(services.GetRequiredService<LoggerProvider>().ForceFlush(10_000));
    }

    private static Dictionary<string, string?> Settings(int receiverPort, string serviceName) => new()
    {
        ["Ratify:Telemetry:OtlpEndpoint"] = $"http://127.0.0.1:{receiverPort}",
        ["Ratify:Telemetry:ServiceName"] = serviceName,
        ["Ratify:Outbound:AllowedHosts"] = "127.0.0.1",
        ["Ratify:Secrets:CRM_KEY"] = CrmKey,
        ["Ratify:Approvals:SigningKeys:test"] = SigningKey,
        ["Logging:LogLevel:Default"] = "Debug",
        ["extensions:durableTask:storageProvider:leaseAcquireInterval"] = "00:00:00.500",
    };
}
