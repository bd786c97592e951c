using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Ratify.Functions.Triggers;
using Ratify.Testing;

namespace Ratify.Functions.Tests.Triggers;

[Collection(AzuriteCollection.Name)]
public sealed class MultiHostSchedulerTests(AzuriteFixture azurite) : IAsyncLifetime
{
    // Ten minutes of schedule time per real second: the two hours around Berlin's autumn change pass in about 12 s.
    private const double Speed = 600;

    private static readonly DateTimeOffset Start = DateTimeOffset.Parse("2026-10-25T00:10:00Z", System.Globalization.CultureInfo.InvariantCulture);

    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromSeconds(60));
    private readonly List<RatifyApiFactory> _factories = [];
    private readonly List<WebApplicationFactory<Program>> _hosts = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            await host.DisposeAsync();
        }

        foreach (var factory in _factories)
        {
            await factory.DisposeAsync();
        }

        _timeout.Dispose();
    }

    [Fact]
    public async Task Three_hosts_start_exactly_one_run_per_tick_across_a_daylight_saving_change_even_when_the_leader_stops()
    {
        var hub = TestNames.NewHub();
        var key = Ratify.Functions.Security.ApiKeySecret.Generate();
        var clock = new ScaledClock(Start, Speed);
        for (var i = 0; i < 3; i++)
        {
            var factory = new RatifyApiFactory(azurite.ConnectionString, hub, Settings(key));
            _factories.Add(factory);
            _hosts.Add(factory.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddKeyedSingleton<TimeProvider>(TriggerOptions.ClockKey, clock))));
        }

        foreach (var host in _hosts)
        {
            _ = host.Services; // starts the host, and its scheduler
        }

        using var admin = Client(_hosts[0], key);

        // A fixed local time inside the repeated hour, and an interval that runs through it.
        using (var created = await admin.PostAsync("/v1/workflows", new StringContent("""
            {"id": "dst", "name": "DST", "triggers": [
               {"type": "cron", "schedule": "0 30 2 * * *", "timeZone": "Europe/Berlin", "overlap": "allow"},
               {"type": "cron", "schedule": "0 */30 * * * *", "timeZone": "Europe/Berlin", "overlap": "allow"}],
             "steps": [{"id": "a", "type": "transform", "with": {"ok": true}}]}
            """, Encoding.UTF8, "application/json"), _timeout.Token))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        clock.Begin();

        // Stop whichever host leads once the first tick has run: another takes over the lease.
        await WaitAsync(admin, s => s.Any(x => x["lastTick"] is not null));
        var leader = _hosts.Single(h => Scheduler(h).IsLeader);
        await leader.DisposeAsync();
        _hosts.Remove(leader);
        using var reader = Client(_hosts[0], key);

        var end = DateTimeOffset.Parse("2026-10-25T02:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        await WaitAsync(reader, s => s.All(x => x["lastTick"] is not null) && s[1]["lastTick"]!.GetValue<DateTimeOffset>() >= end);

        var runs = (await reader.GetFromJsonAsync<JsonObject>("/v1/runs?workflowId=dst&limit=200", _timeout.Token))!["runs"]!.AsArray();
        var byTrigger = runs.GroupBy(r => r!["createdBy"]!.GetValue<string>()).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(1, byTrigger["schedule:dst/0"]);
        Assert.Equal(4, byTrigger["schedule:dst/1"]); // 00:30, 01:00, 01:30, 02:00 UTC: every 30 minutes through the repeated hour
        Assert.Equal(runs.Count, runs.Select(r => r!["runId"]!.GetValue<string>()).Distinct().Count());
    }

    private static HttpClient Client(WebApplicationFactory<Program> host, string key)
    {
        var client = host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    private static CronScheduler Scheduler(WebApplicationFactory<Program> host) =>
        host.Services.GetServices<IHostedService>().OfType<CronScheduler>().Single();

    private async Task WaitAsync(HttpClient client, Func<List<JsonObject>, bool> done)
    {
        while (true)
        {
            var list = await client.GetFromJsonAsync<JsonObject>("/v1/schedules", _timeout.Token);
            var schedules = list!["schedules"]!.AsArray().Select(s => s!.AsObject()).OrderBy(s => s["trigger"]!.GetValue<int>()).ToList();
            if (schedules.Count == 2 && done(schedules))
            {
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), _timeout.Token);
        }
    }

    /// <summary>Settings shared by the hosts: fast polls, ticks never count as missed, one admin key for all.</summary>
    private static Dictionary<string, string?> Settings(string key) => new(StringComparer.OrdinalIgnoreCase)
    {
        ["Ratify:Triggers:PollInterval"] = "00:00:00.050",
        ["Ratify:Triggers:MissedAfter"] = "1.00:00:00",
        ["Ratify:BootstrapAdminKey"] = key,
    };
}
