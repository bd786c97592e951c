using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Ratify.Functions.Runs;
using Ratify.Functions.Triggers;
using Ratify.Functions.Workflows;
using Ratify.Testing;

namespace Ratify.Functions.Tests.Triggers;

[Collection(AzuriteCollection.Name)]
public sealed class CronScheduleTests(AzuriteFixture azurite) : TriggerTestBase(azurite)
{
    [Fact]
    public async Task Each_tick_starts_exactly_one_run_even_when_three_evaluators_race()
    {
        using var admin = Admin();
        var start = Clock.GetUtcNow();
        await CreateAsync(admin, "tick", """{"type": "cron", "schedule": "*/10 * * * * *", "overlap": "allow", "input": {"n": 1}}""");

        Clock.Set(start.AddSeconds(35));
        await Task.WhenAll(EvaluateAsync(), EvaluateAsync(), EvaluateAsync());
        await EvaluateAsync();

        var runs = await RunsAsync(admin, "tick");
        var expected = new[] { 30, 20, 10 }.Select(s => TickRunId("tick", 0, start.AddSeconds(s))).ToList();
        Assert.Equal(expected, runs.Select(r => r!["runId"]!.GetValue<string>()));
        var run = await SendJsonAsync(admin, HttpMethod.Get, $"/v1/runs/{expected[0]}", null, HttpStatusCode.OK);
        Assert.Equal(1, run["input"]!["n"]!.GetValue<int>());

        var schedule = await ScheduleAsync(admin, "tick", 0);
        Assert.Equal(start.AddSeconds(30), schedule["lastTick"]!.GetValue<DateTimeOffset>());
        Assert.Equal("started", schedule["lastOutcome"]!.GetValue<string>());
        Assert.Equal(expected[0], schedule["lastRunId"]!.GetValue<string>());
        Assert.Equal(start.AddSeconds(40), schedule["nextTick"]!.GetValue<DateTimeOffset>());
    }

    [Fact]
    public async Task Missed_ticks_are_caught_up_to_the_bound_or_skipped()
    {
        using var admin = Admin();
        var start = Clock.GetUtcNow();
        await CreateAsync(admin, "bounded", """{"type": "cron", "schedule": "* * * * *", "catchUp": 2, "overlap": "allow"}""");
        await CreateAsync(admin, "skipping", """{"type": "cron", "schedule": "* * * * *", "catchUp": "skip", "overlap": "allow"}""");

        // Ten minutes of downtime: ticks 1 to 9 are more than a minute old, tick 10 is on time.
        Clock.Set(start.AddMinutes(10).AddSeconds(30));
        await EvaluateAsync();

        var bounded = await RunsAsync(admin, "bounded");
        Assert.Equal(new[] { 10, 9, 8 }.Select(m => TickRunId("bounded", 0, start.AddMinutes(m))), bounded.Select(r => r!["runId"]!.GetValue<string>()));
        var skipping = await RunsAsync(admin, "skipping");
        Assert.Equal(TickRunId("skipping", 0, start.AddMinutes(10)), Assert.Single(skipping)!["runId"]!.GetValue<string>());

        Clock.Set(start.AddMinutes(10).AddSeconds(50));
        await EvaluateAsync();
        Assert.Equal(3, (await RunsAsync(admin, "bounded")).Count);
    }

    [Fact]
    public async Task With_overlap_skip_a_tick_starts_nothing_while_the_previous_run_is_going()
    {
        using var admin = Admin();
        var start = Clock.GetUtcNow();
        await CreateAsync(admin, "slow", """{"type": "cron", "schedule": "*/10 * * * * *"}""", """{"id": "wait", "type": "delay", "with": {"duration": "PT1H"}}""");

        Clock.Set(start.AddSeconds(10));
        await EvaluateAsync();
        var first = TickRunId("slow", 0, start.AddSeconds(10));
        Assert.Equal(first, Assert.Single(await RunsAsync(admin, "slow"))!["runId"]!.GetValue<string>());

        Clock.Set(start.AddSeconds(20));
        await EvaluateAsync();
        Assert.Single(await RunsAsync(admin, "slow"));
        var schedule = await ScheduleAsync(admin, "slow", 0);
        Assert.Equal("skipped_overlap", schedule["lastOutcome"]!.GetValue<string>());
        Assert.Contains(first, schedule["lastMessage"]!.GetValue<string>(), StringComparison.Ordinal);

        await SendJsonAsync(admin, HttpMethod.Post, $"/v1/runs/{first}/cancel", "{}", HttpStatusCode.OK);
        Clock.Set(start.AddSeconds(30));
        await EvaluateAsync();
        var runs = await RunsAsync(admin, "slow");
        Assert.Equal(TickRunId("slow", 0, start.AddSeconds(30)), runs[0]!["runId"]!.GetValue<string>());
        Assert.Equal(2, runs.Count);
    }

    [Fact]
    public async Task A_new_version_replaces_the_schedule_without_a_double_or_a_lost_tick()
    {
        using var admin = Admin();
        var start = Clock.GetUtcNow();
        await CreateAsync(admin, "versioned", """{"type": "cron", "schedule": "*/10 * * * * *", "overlap": "allow"}""");
        Clock.Set(start.AddSeconds(10));
        await EvaluateAsync();

        // The tick at +20 is due but not yet evaluated when version 2 (every 15 s) takes over at +25.
        Clock.Set(start.AddSeconds(25));
        await SendJsonAsync(admin, HttpMethod.Put, "/v1/workflows/versioned", Definition("versioned", """{"type": "cron", "schedule": "*/15 * * * * *", "overlap": "allow"}"""), HttpStatusCode.OK);
        Clock.Set(start.AddSeconds(50));
        await EvaluateAsync();

        // The same definition again (version 3) changes nothing about which ticks run.
        await SendJsonAsync(admin, HttpMethod.Put, "/v1/workflows/versioned", Definition("versioned", """{"type": "cron", "schedule": "*/15 * * * * *", "overlap": "allow"}"""), HttpStatusCode.OK);
        await EvaluateAsync();
        Clock.Set(start.AddSeconds(60));
        await EvaluateAsync();

        var runs = await RunsAsync(admin, "versioned");
        var ticks = new[] { (60, 3), (45, 2), (30, 2), (20, 1), (10, 1) };
        Assert.Equal(ticks.Select(t => TickRunId("versioned", 0, start.AddSeconds(t.Item1))), runs.Select(r => r!["runId"]!.GetValue<string>()));
        Assert.Equal(ticks.Select(t => t.Item2), runs.Select(r => r!["version"]!.GetValue<int>()));
    }

    [Fact]
    public async Task A_paused_schedule_starts_nothing_and_resumes_from_its_next_tick()
    {
        using var admin = Admin();
        var start = Clock.GetUtcNow();
        await CreateAsync(admin, "pausable", """{"type": "cron", "schedule": "*/10 * * * * *", "timeZone": "Europe/Berlin", "overlap": "allow"}""");

        var paused = await SendJsonAsync(admin, HttpMethod.Post, "/v1/schedules/pausable/0/pause", null, HttpStatusCode.OK);
        Assert.True(paused["paused"]!.GetValue<bool>());
        Assert.Null(paused["nextTick"]);
        Clock.Set(start.AddSeconds(35));
        await EvaluateAsync();
        Assert.Empty(await RunsAsync(admin, "pausable"));

        var resumed = await SendJsonAsync(admin, HttpMethod.Post, "/v1/schedules/pausable/0/resume", null, HttpStatusCode.OK);
        Assert.False(resumed["paused"]!.GetValue<bool>());
        Assert.Equal(start.AddSeconds(40), resumed["nextTick"]!.GetValue<DateTimeOffset>());
        Clock.Set(start.AddSeconds(45));
        await EvaluateAsync();
        Assert.Equal(TickRunId("pausable", 0, start.AddSeconds(40)), Assert.Single(await RunsAsync(admin, "pausable"))!["runId"]!.GetValue<string>());

        await SendJsonAsync(admin, HttpMethod.Post, "/v1/schedules/pausable/1/pause", null, HttpStatusCode.NotFound);
        await SendJsonAsync(admin, HttpMethod.Post, "/v1/schedules/nothing/0/pause", null, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task An_invalid_expression_or_zone_is_a_422_with_pointers_and_an_archived_workflow_loses_its_schedules()
    {
        using var admin = Admin();
        var invalid = await SendJsonAsync(admin, HttpMethod.Post, "/v1/workflows", Definition("bad",
            """{"type": "cron", "schedule": "61 * * * *"}, {"type": "cron", "schedule": "0 * * * *", "timeZone": "Mars/Olympus"}"""),
            HttpStatusCode.UnprocessableEntity);
        var pointers = invalid["errors"]!.AsArray().Select(e => e!["pointer"]!.GetValue<string>()).ToList();
        Assert.Equal(["/triggers/0/schedule", "/triggers/1/timeZone"], pointers);

        await CreateAsync(admin, "archived", """{"type": "cron", "schedule": "*/10 * * * * *"}""");
        await SendJsonAsync(admin, HttpMethod.Delete, "/v1/workflows/archived", null, HttpStatusCode.NoContent);
        Clock.Set(Clock.GetUtcNow().AddMinutes(1));
        await EvaluateAsync();
        await EvaluateAsync();
        Assert.Empty((await SendJsonAsync(admin, HttpMethod.Get, "/v1/schedules", null, HttpStatusCode.OK))["schedules"]!.AsArray());
    }

    [Fact]
    public async Task The_repair_pass_gives_a_version_stored_without_its_schedules_the_schedules_it_declares()
    {
        using var admin = Admin();
        var parser = Services.GetRequiredService<WorkflowDefinitionParser>();
        var store = Services.GetRequiredService<WorkflowStore>();
        var repair = Services.GetRequiredService<WorkflowSchedules>();

        // As if the host died between storing each version and replacing its schedules.
        await store.CreateAsync("default", parser.Parse(Definition("orphan", """{"type": "cron", "schedule": "*/10 * * * * *"}""")).Definition!, Timeout);
        Assert.Equal(1, await repair.RepairAsync(Timeout));
        Assert.Equal("*/10 * * * * *", (await ScheduleAsync(admin, "orphan", 0))["schedule"]!.GetValue<string>());

        await store.AddVersionAsync("default", parser.Parse(Definition("orphan", """{"type": "cron", "schedule": "*/20 * * * * *"}""")).Definition!, cancellationToken: Timeout);
        Assert.Equal(1, await repair.RepairAsync(Timeout));
        var schedule = await ScheduleAsync(admin, "orphan", 0);
        Assert.Equal(2, schedule["version"]!.GetValue<int>());
        Assert.Equal(0, await repair.RepairAsync(Timeout));
    }

    private Task CreateAsync(HttpClient admin, string id, string trigger, string? step = null) =>
        SendJsonAsync(admin, HttpMethod.Post, "/v1/workflows", Definition(id, trigger, step), HttpStatusCode.Created);

    private static string Definition(string id, string triggers, string? step = null) => $$"""
        {"id": "{{id}}", "name": "{{id}}", "triggers": [{{triggers}}],
         "steps": [{{step ?? """{"id": "work", "type": "transform", "with": {"ok": true}}"""}}]}
        """;

    private static string TickRunId(string workflowId, int index, DateTimeOffset tick)
    {
        var schedule = new ScheduleRecord("default", workflowId, index, [], tick, false, null, null, null, null, "");
        return RunIds.Derived(tick, ScheduleEvaluator.TickIdentity(schedule, tick));
    }

}
