using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Ratify.Functions.Events;
using Ratify.Functions.Runs;
using Ratify.Functions.Tests.Http;
using Ratify.Testing;

namespace Ratify.Functions.Tests.Events;

[Collection(AzuriteCollection.Name)]
public sealed class RunEventFollowerTests(AzuriteFixture azurite) : ApiTestBase(azurite)
{
    [Fact]
    public async Task A_slow_consumer_gets_every_event_in_order_across_pages_while_writers_race()
    {
        var log = Api.Services.GetRequiredService<RunEventLog>();
        var follower = Api.Services.GetRequiredService<RunEventFollower>();
        var runId = RunIds.New(DateTimeOffset.UtcNow);

        // Two writers at once (as two hosts would be): the sequence has no gap and no duplicate.
        var writers = Enumerable.Range(0, 2).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < 80; i++)
            {
                await log.AppendAsync("default", runId, "step.started", new JsonObject { ["writer"] = w, ["i"] = i }, Timeout);
            }
        })).ToList();

        var received = new List<RunEvent>();
        var following = follower.FollowAsync("default", runId, 0, async e =>
        {
            received.Add(e);
            await Task.Delay(TimeSpan.FromMilliseconds(2), Timeout); // a consumer slower than the writers
        }, () => Task.CompletedTask, Timeout);

        await Task.WhenAll(writers);
        await log.AppendAsync("default", runId, "run.completed", [], Timeout);
        await following;

        Assert.Equal(Enumerable.Range(1, 161).Select(i => (long)i), received.Select(e => e.Seq));
        Assert.Equal("run.completed", received[^1].Type);
        foreach (var writer in new[] { 0, 1 })
        {
            Assert.Equal(Enumerable.Range(0, 80), received.Where(e => e.Data["writer"]?.GetValue<int>() == writer).Select(e => e.Data["i"]!.GetValue<int>()));
        }
    }
}
