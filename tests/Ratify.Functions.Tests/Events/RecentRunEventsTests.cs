using System.Text.Json.Nodes;
using Ratify.Functions.Events;

namespace Ratify.Functions.Tests.Events;

public sealed class RecentRunEventsTests
{
    private static readonly DateTimeOffset At = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void TryRun_CaughtUp_ReturnsTheNextEventsInOrderAndEmptyWhenNothingIsNewer()
    {
        var recent = new RecentRunEvents();
        recent.Add("t", [Event("r1", 1, 1), Event("r2", 1, 2), Event("r1", 2, 3)]);

        Assert.Equal([1L, 2L], recent.TryRun("t", "r1", 0, 100)!.Select(e => e.Seq));
        Assert.Equal([2L], recent.TryRun("t", "r1", 1, 100)!.Select(e => e.Seq));
        Assert.Empty(recent.TryRun("t", "r1", 2, 100)!);
        Assert.Empty(recent.TryRun("t", "unknown", 0, 100)!);
        Assert.Empty(recent.TryRun("other", "r1", 0, 100)!);
        Assert.Equal([1L], recent.TryRun("t", "r1", 0, 1)!.Select(e => e.Seq));
    }

    [Fact]
    public void TryRun_NextEventWrittenElsewhere_ReturnsNullSoTheFollowerReadsStorage()
    {
        var recent = new RecentRunEvents();
        recent.Add("t", [Event("r1", 1, 1)]);
        recent.Add("t", [Event("r1", 3, 4)]); // seq 2 (cursors 2 and 3) came from another host

        Assert.Equal([1L], recent.TryRun("t", "r1", 0, 100)!.Select(e => e.Seq));
        Assert.Null(recent.TryRun("t", "r1", 1, 100));
        Assert.Equal([3L], recent.TryRun("t", "r1", 2, 100)!.Select(e => e.Seq));
    }

    [Fact]
    public void TryTenant_GapOrEvicted_ReturnsNullAndOtherwiseTheContiguousFeed()
    {
        var recent = new RecentRunEvents();
        recent.Add("t", [Event("r1", 1, 1), Event("r1", 2, 2)]);
        recent.Add("t", [Event("r2", 1, 4)]);

        Assert.Equal([1L, 2L], recent.TryTenant("t", 0, 100)!.Select(e => e.Cursor));
        Assert.Null(recent.TryTenant("t", 2, 100));
        Assert.Empty(recent.TryTenant("t", 4, 100)!);

        // Past the ring's size the oldest events go, by feed and by run: those behind them read storage.
        var cursor = 4L;
        for (var i = 0; i <= RecentRunEvents.PerTenant; i++)
        {
            cursor++;
            recent.Add("t", [Event("r3", i + 1, cursor)]);
        }

        Assert.Null(recent.TryTenant("t", 0, 100));
        Assert.Empty(recent.TryRun("t", "r1", 0, 100)!);
        Assert.Null(recent.TryRun("t", "r3", 0, 100));
        Assert.Equal([cursor], recent.TryTenant("t", cursor - 1, 100)!.Select(e => e.Cursor));
        Assert.Equal(100, recent.TryTenant("t", 5, 100)!.Count);
    }

    [Fact]
    public void TryRun_CallerChangesData_TheKeptEventStaysAsCommitted()
    {
        var recent = new RecentRunEvents();
        var committed = Event("r1", 1, 1);
        recent.Add("t", [committed]);
        committed.Data["n"] = 2;
        recent.TryRun("t", "r1", 0, 100)![0].Data["n"] = 3;

        Assert.Equal(1, recent.TryRun("t", "r1", 0, 100)![0].Data["n"]!.GetValue<int>());
    }

    private static RunEvent Event(string runId, long seq, long cursor) => new(seq, runId, "step.started", At, new JsonObject { ["n"] = 1 }, cursor);
}
