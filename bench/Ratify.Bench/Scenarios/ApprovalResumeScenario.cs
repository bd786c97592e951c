using System.Net;
using System.Text;
using System.Text.Json;
using Ratify.Testing;

namespace Ratify.Bench.Scenarios;

/// <summary>
/// (h) Approval resume through the real host: a run waits at an approval gate; the time from sending
/// <c>POST /v1/runs/{runId}/approvals/{approvalId}/approve</c> to the next step (a webhook to this process) starting.
/// </summary>
/// <remarks>One run at a time; the figure includes the resolve request, storing the decision, the event, the settle activity and the webhook call.</remarks>
internal sealed class ApprovalResumeScenario : IScenario
{
    private const string P50Key = "approval_resume_p50_ms";
    private const string P95Key = "approval_resume_p95_ms";
    private const int WarmUpRuns = 5;
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(200);

    public string Name => "(h) approval resume";

    public IReadOnlyList<Figure> Figures { get; } =
    [
        new(P50Key, "(h) API: resolve sent -> next step started, p50", "ms", FigureTime.Milliseconds, new FigureTarget(50, AtLeast: false)),
        new(P95Key, "(h) API: resolve sent -> next step started, p95", "ms", FigureTime.Milliseconds),
    ];

    public async Task<IReadOnlyDictionary<string, double>> RunOnceAsync(BenchEnvironment environment, CancellationToken cancellation)
    {
        var samples = environment.Size(full: 50, quick: 10);
        await using var listener = await StepListener.StartAsync(cancellation);
        await using var host = await RatifyHostProcess.StartAsync(environment.ConnectionString, cancellation,
            new Dictionary<string, string> { ["Ratify__Outbound__AllowedHosts"] = "127.0.0.1" });
        try
        {
            await PostAsync(host.Client, "v1/workflows", Workflow(listener.Url), HttpStatusCode.Created, cancellation);
            for (var i = 0; i < WarmUpRuns; i++)
            {
                await OneAsync(host.Client, listener, cancellation);
            }

            var resume = new List<double>(samples);
            var resolveCalls = new List<double>(samples);
            for (var i = 0; i < samples; i++)
            {
                var (total, call) = await OneAsync(host.Client, listener, cancellation);
                resume.Add(total);
                resolveCalls.Add(call);
            }

            return new Dictionary<string, double>
            {
                [P50Key] = Percentiles.Median(resume),
                [P95Key] = Percentiles.Of(resume, 95),
                ["(h) detail: resolve call answered p50 ms"] = Percentiles.Median(resolveCalls),
            };
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            host.EnsureRunning();
            throw;
        }
    }

    /// <summary>One run: start it, wait for its gate, then time the approval until the next step reaches the listener.</summary>
    private static async Task<(double Resume, double Call)> OneAsync(HttpClient client, StepListener listener, CancellationToken cancellation)
    {
        using var started = await PostAsync(client, "v1/runs", """{"workflowId":"bench-gate","input":{}}""", HttpStatusCode.Created, cancellation);
        var runId = started.RootElement.GetProperty("runId").GetString()!;
        var approvalId = await GateAsync(client, runId, cancellation);
        await Task.Delay(Settle, cancellation);

        var start = Measure.Now();
        using (await PostAsync(client, $"v1/runs/{runId}/approvals/{approvalId}/approve", """{"comment":"bench"}""", HttpStatusCode.OK, cancellation))
        {
        }

        var call = Measure.MillisecondsSince(start);
        var arrived = await listener.ArrivalAsync(runId).WaitAsync(TimeSpan.FromSeconds(30), cancellation);
        return (Measure.MillisecondsBetween(start, arrived), call);
    }

    private static async Task<string> GateAsync(HttpClient client, string runId, CancellationToken cancellation)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            using var response = await client.GetAsync(new Uri("v1/runs/" + runId, UriKind.Relative), cancellation);
            using var run = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellation));
            var gate = run.RootElement.GetProperty("steps").EnumerateArray().First(s => s.GetProperty("id").GetString() == "gate");
            if (run.RootElement.GetProperty("status").GetString() == "waiting_approval"
                && gate.TryGetProperty("approval", out var approval) && approval.ValueKind == JsonValueKind.Object)
            {
                return approval.GetProperty("approvalId").GetString()!;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"Run {runId} did not reach its gate within 30 s: {run.RootElement.GetRawText()}");
            }

            await Task.Delay(20, cancellation);
        }
    }

    private static async Task<JsonDocument> PostAsync(HttpClient client, string path, string json, HttpStatusCode expected, CancellationToken cancellation)
    {
        using var body = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await client.PostAsync(new Uri(path, UriKind.Relative), body, cancellation);
        var text = await response.Content.ReadAsStringAsync(cancellation);
        return response.StatusCode == expected
            ? JsonDocument.Parse(text)
            : throw new InvalidOperationException($"POST /{path} answered {(int)response.StatusCode}: {text}");
    }

    /// <summary>gate (self-approval allowed: the bench's one key starts and approves) → next, a webhook to the listener.</summary>
    private static string Workflow(string listenerUrl) => """
        {"id":"bench-gate","name":"Bench gate","steps":[
          {"id":"gate","type":"approval","with":{"message":"Go?","allowSelfApproval":true}},
          {"id":"next","connector":"webhook","dependsOn":["gate"],"with":{"url":"LISTENER","payload":{"runId":"{{run.id}}"}}}]}
        """.Replace("LISTENER", listenerUrl, StringComparison.Ordinal);
}
