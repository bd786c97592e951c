using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Ratify.Bench;

/// <summary>The calls an agent makes: define the benchmark workflow, start a run, read a run's status.</summary>
internal static class ApiRuns
{
    /// <summary>The workflow every API run starts.</summary>
    public const string WorkflowId = "bench-five";

    /// <summary>Five built-in transform steps (no network), a → (b ∥ c) → d → e.</summary>
    private const string Workflow = """
        {"id":"bench-five","name":"Bench five","steps":[
          {"id":"a","type":"transform","with":{"v":"{{input.n}}"}},
          {"id":"b","type":"transform","dependsOn":["a"],"with":{"v":"{{steps.a.output.v}}"}},
          {"id":"c","type":"transform","dependsOn":["a"],"with":{"v":"{{steps.a.output.v}}"}},
          {"id":"d","type":"transform","dependsOn":["b","c"],"with":{"v":"{{steps.b.output.v}}"}},
          {"id":"e","type":"transform","dependsOn":["d"],"with":{"v":"{{steps.d.output.v}}"}}]}
        """;

    private static readonly Uri WorkflowsPath = new("v1/workflows", UriKind.Relative);
    private static readonly Uri WaitingRunsPath = new("v1/runs?wait=50s", UriKind.Relative);

    /// <summary><c>POST /v1/workflows</c>, expecting 201.</summary>
    public static async Task CreateWorkflowAsync(HttpClient client, CancellationToken cancellation)
    {
        using var body = new StringContent(Workflow, Encoding.UTF8, "application/json");
        using var response = await client.PostAsync(WorkflowsPath, body, cancellation);
        await ExpectAsync(response, HttpStatusCode.Created, "POST /v1/workflows", cancellation);
    }

    /// <summary>
    /// <c>POST /v1/runs?wait=50s</c>, expecting 201 with the finished run (the host answers when the run's final event is
    /// committed); returns the run id, and throws when the run did not complete within the wait.
    /// </summary>
    public static async Task<string> StartAndWaitAsync(HttpClient client, int n, CancellationToken cancellation)
    {
        var json = string.Create(CultureInfo.InvariantCulture, $$$"""{"workflowId":"{{{WorkflowId}}}","input":{"n":{{{n}}}}}""");
        using var body = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await client.PostAsync(WaitingRunsPath, body, cancellation);
        using var document = await ExpectAsync(response, HttpStatusCode.Created, "POST /v1/runs?wait=50s", cancellation);
        var run = document.RootElement;
        var runId = run.GetProperty("runId").GetString() ?? throw new InvalidOperationException("POST /v1/runs answered without a runId.");
        return run.GetProperty("status").GetString() == "completed"
            ? runId
            : throw new InvalidOperationException($"Run {runId} was {run.GetProperty("status").GetString()} when its 50 s wait ended: {(run.TryGetProperty("error", out var error) ? error.GetRawText() : "no error given")}");
    }

    /// <summary><c>GET /v1/runs/{runId}</c>: true when completed, false while running or paused; throws when failed or cancelled.</summary>
    public static async Task<bool> IsCompletedAsync(HttpClient client, string runId, CancellationToken cancellation)
    {
        using var response = await client.GetAsync(new Uri("v1/runs/" + Uri.EscapeDataString(runId), UriKind.Relative), cancellation);
        using var document = await ExpectAsync(response, HttpStatusCode.OK, "GET /v1/runs/{runId}", cancellation);
        var run = document.RootElement;
        return run.GetProperty("status").GetString() switch
        {
            "completed" => true,
            "failed" or "cancelled" => throw new InvalidOperationException(
                $"Run {runId} ended {run.GetProperty("status").GetString()}: {(run.TryGetProperty("error", out var error) ? error.GetRawText() : "no error given")}"),
            _ => false,
        };
    }

    private static async Task<JsonDocument> ExpectAsync(HttpResponseMessage response, HttpStatusCode expected, string call, CancellationToken cancellation)
    {
        var text = await response.Content.ReadAsStringAsync(cancellation);
        if (response.StatusCode != expected)
        {
            var excerpt = text.Length > 500 ? text[..500] + "…" : text;
            throw new InvalidOperationException($"{call} answered {(int)response.StatusCode} instead of {(int)expected}: {excerpt}");
        }

        return JsonDocument.Parse(text);
    }
}
