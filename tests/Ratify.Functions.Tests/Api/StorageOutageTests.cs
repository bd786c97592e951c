using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Ratify.Functions.Tests.Http;
using Ratify.Testing;

namespace Ratify.Functions.Tests.Api;

/// <summary>
/// Storage that stops answering: requests end in a 503 with Retry-After within the configured budget, and a start cut short
/// that way is retried with its Idempotency-Key into exactly one run once storage is back. Uses an Azurite of its own, frozen
/// with SIGSTOP, so that no other test is frozen with it.
/// </summary>
public sealed class StorageOutageTests : IAsyncLifetime
{
    private const string Workflow = """
        {"id": "outage", "name": "Outage", "steps": [{"id": "only", "type": "transform", "with": {"n": "{{input.n}}"}}]}
        """;

    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(2);

    private readonly AzuriteFixture _azurite = new();
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromSeconds(90));
    private RatifyApiFactory? _api;

    private CancellationToken Timeout => _timeout.Token;

    public async Task InitializeAsync()
    {
        await _azurite.InitializeAsync();
        _api = new RatifyApiFactory(_azurite, new Dictionary<string, string?>
        {
            ["Ratify:Storage:RequestTimeout"] = "00:00:02",
            ["Ratify:Storage:RetryAfter"] = "00:00:03",
        });
    }

    public async Task DisposeAsync()
    {
        // Thawed first, whatever the test did: a frozen Azurite would hold up the host's shutdown.
        await _azurite.ThawAsync();
        if (_api is not null)
        {
            await _api.DisposeAsync();
        }

        await _azurite.DisposeAsync();
        _timeout.Dispose();
    }

    [Fact(Timeout = 90_000)]
    public async Task Frozen_storage_is_a_503_with_retry_after_within_the_budget_and_a_keyed_start_retried_after_it_exists_once()
    {
        using var client = _api!.CreateAdminClient();
        await CreateWorkflowAsync(client);

        var start = new { workflowId = "outage", input = new { n = 1 } };
        await _azurite.FreezeAsync();
        try
        {
            await ExpectUnavailableAsync(() => client.GetAsync("/v1/runs", Timeout));
            await ExpectUnavailableAsync(() => client.GetAsync("/v1/workflows", Timeout));
            await ExpectUnavailableAsync(() => client.SendAsync(KeyedStart(start, "outage-key"), Timeout));
        }
        finally
        {
            await _azurite.ThawAsync();
        }

        // Storage is back: the same request with the same key gives a run, which completes, and it is the only one.
        var runId = await StartOnceBackAsync(client, start, "outage-key");
        using (var again = await client.SendAsync(KeyedStart(start, "outage-key"), Timeout))
        {
            Assert.Equal(HttpStatusCode.Created, again.StatusCode);
            Assert.Equal(runId, (await again.Content.ReadFromJsonAsync<JsonObject>(Timeout))!["runId"]!.GetValue<string>());
        }

        await WaitUntilAsync(client, $"/v1/runs/{runId}", run => run["status"]!.GetValue<string>() == "completed");
        await WaitUntilAsync(client, "/v1/runs?workflowId=outage", page => page["runs"]!.AsArray().Count == 1);
    }

    /// <summary>
    /// Defines the workflow; on a loaded machine the host's first request (tables created, expression sandbox warmed up) may
    /// itself outlast the short budget this test sets, so a 503 here is tried again.
    /// </summary>
    private async Task CreateWorkflowAsync(HttpClient client)
    {
        var delay = TimeSpan.FromMilliseconds(50);
        while (true)
        {
            using var created = await client.PostAsync("/v1/workflows", Json(Workflow), Timeout);
            if (created.StatusCode != HttpStatusCode.ServiceUnavailable)
            {
                Assert.Equal(HttpStatusCode.Created, created.StatusCode);
                return;
            }

            await Task.Delay(delay, Timeout);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 500));
        }
    }

    private async Task ExpectUnavailableAsync(Func<Task<HttpResponseMessage>> send)
    {
        var clock = Stopwatch.StartNew();
        using var response = await send();
        clock.Stop();
        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.ServiceUnavailable, Timeout);
        Assert.Equal(TimeSpan.FromSeconds(3), response.Headers.RetryAfter?.Delta);

        // The budget, plus room for a loaded machine; without it the request would hang for the storage client's minutes of retries.
        Assert.True(clock.Elapsed < Budget + TimeSpan.FromSeconds(8), $"answered after {clock.Elapsed}");
    }

    private async Task<string> StartOnceBackAsync(HttpClient client, object start, string key)
    {
        var delay = TimeSpan.FromMilliseconds(50);
        while (true)
        {
            using var response = await client.SendAsync(KeyedStart(start, key), Timeout);
            if (response.StatusCode == HttpStatusCode.Created)
            {
                return (await response.Content.ReadFromJsonAsync<JsonObject>(Timeout))!["runId"]!.GetValue<string>();
            }

            // Right after the thaw storage may still be catching up (503), or the cut-short claim still be young (409).
            Assert.True(response.StatusCode is HttpStatusCode.ServiceUnavailable or HttpStatusCode.Conflict, $"{(int)response.StatusCode}");
            await Task.Delay(delay, Timeout);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 500));
        }
    }

    private async Task WaitUntilAsync(HttpClient client, string path, Func<JsonObject, bool> done)
    {
        var delay = TimeSpan.FromMilliseconds(20);
        while (true)
        {
            using var response = await client.GetAsync(path, Timeout);
            if (response.StatusCode == HttpStatusCode.OK && done((await response.Content.ReadFromJsonAsync<JsonObject>(Timeout))!))
            {
                return;
            }

            await Task.Delay(delay, Timeout);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 200));
        }
    }

    private static HttpRequestMessage KeyedStart(object start, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/runs") { Content = JsonContent.Create(start) };
        request.Headers.Add("Idempotency-Key", key);
        return request;
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}
