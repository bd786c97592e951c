using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Ratify.Functions.Tests.Http;
using Ratify.Functions.Triggers;
using Ratify.Testing;

namespace Ratify.Functions.Tests.Triggers;

/// <summary>An API test with a clock for schedules that the test sets; the background scheduler is off unless a test turns it on.</summary>
public abstract class TriggerTestBase : ApiTestBase
{
    private readonly WebApplicationFactory<Program> _app;

    protected TriggerTestBase(AzuriteFixture azurite, IReadOnlyDictionary<string, string?>? settings = null)
        : base(azurite, WithDefaults(settings))
    {
        _app = Api.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddKeyedSingleton<TimeProvider>(TriggerOptions.ClockKey, Clock)));
    }

    /// <summary>The clock schedules read; it starts at the real time, on a whole minute.</summary>
    protected ManualClock Clock { get; } = new(Truncate(DateTimeOffset.UtcNow));

    /// <summary>The app's services.</summary>
    protected IServiceProvider Services => _app.Services;

    /// <summary>One pass of the scheduler, as the lease holder makes it.</summary>
    protected Task EvaluateAsync() => Services.GetRequiredService<ScheduleEvaluator>().EvaluateAsync(Timeout);

    protected HttpClient Admin()
    {
        var client = _app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Api.BootstrapAdminKey);
        return client;
    }

    protected HttpClient Anonymous() => _app.CreateClient();

    protected async Task<JsonObject> SendJsonAsync(HttpClient client, HttpMethod method, string path, string? json, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using var response = await client.SendAsync(request, Timeout);
        var text = await response.Content.ReadAsStringAsync(Timeout);
        Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode}: {text}");
        return text.Length == 0 ? [] : JsonNode.Parse(text)!.AsObject();
    }

    /// <summary>The runs of <paramref name="workflowId"/>, newest first.</summary>
    protected async Task<JsonArray> RunsAsync(HttpClient client, string workflowId) =>
        (await SendJsonAsync(client, HttpMethod.Get, $"/v1/runs?workflowId={workflowId}&limit=200", null, HttpStatusCode.OK))["runs"]!.AsArray();

    /// <summary>The schedule of trigger <paramref name="index"/> of <paramref name="workflowId"/> as listed.</summary>
    protected async Task<JsonObject> ScheduleAsync(HttpClient client, string workflowId, int index)
    {
        var list = await SendJsonAsync(client, HttpMethod.Get, "/v1/schedules", null, HttpStatusCode.OK);
        return list["schedules"]!.AsArray().Select(s => s!.AsObject())
            .Single(s => s["workflowId"]!.GetValue<string>() == workflowId && s["trigger"]!.GetValue<int>() == index);
    }

    protected static DateTimeOffset Truncate(DateTimeOffset time) => new(time.Ticks - (time.Ticks % TimeSpan.TicksPerMinute), TimeSpan.Zero);

    private static Dictionary<string, string?> WithDefaults(IReadOnlyDictionary<string, string?>? settings)
    {
        var all = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase) { ["Ratify:Triggers:SchedulerEnabled"] = "false" };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        return all;
    }
}
