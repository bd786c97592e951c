using Ratify.Functions.Triggers;

namespace Ratify.Functions.Tests.Triggers;

public sealed class DaylightSavingTests
{
    [Theory]
    [InlineData("0 30 2 * * *")]
    [InlineData("30 2 * * *")]
    public void DueTicks_DailyTimeInTheSpringGap_FiresOnceAfterTheGap(string expression)
    {
        // 2026-03-29: Berlin skips from 02:00 CET to 03:00 CEST (01:00 UTC), so 02:30 does not exist that day.
        var ticks = Due(expression, "2026-03-28T23:00:00Z", "2026-03-29T03:00:00Z");

        Assert.Equal([DateTimeOffset.Parse("2026-03-29T01:00:00Z")], ticks);
    }

    [Fact]
    public void DueTicks_DailyTimeInTheAutumnOverlap_FiresOnce()
    {
        // 2026-10-25: Berlin goes back from 03:00 CEST to 02:00 CET (01:00 UTC), so 02:30 happens twice.
        var ticks = Due("0 30 2 * * *", "2026-10-24T22:00:00Z", "2026-10-25T03:00:00Z");

        Assert.Equal([DateTimeOffset.Parse("2026-10-25T00:30:00Z")], ticks);
    }

    [Fact]
    public void DueTicks_IntervalAcrossTheAutumnOverlap_KeepsItsSpacingInRealTime()
    {
        var ticks = Due("0 */30 * * * *", "2026-10-24T23:59:59Z", "2026-10-25T02:00:00Z");

        Assert.Equal(["00:00", "00:30", "01:00", "01:30", "02:00"], ticks.Select(t => t.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void DueTicks_VersionChangeMidway_GivesEachTickToTheVersionInForce()
    {
        var from = DateTimeOffset.Parse("2026-01-01T00:00:00Z");
        var schedule = new ScheduleRecord("t", "wf", 0,
            [new ScheduleSegment(from, 1, Trigger("*/10 * * * * *")), new ScheduleSegment(from.AddSeconds(25), 2, Trigger("*/15 * * * * *"))],
            from, false, null, null, null, null, "");

        var due = ScheduleEvaluator.DueTicks(schedule, from.AddSeconds(50)).Select(t => ((t.Tick - from).TotalSeconds, t.Segment.Version));

        Assert.Equal([(10d, 1), (20d, 1), (30d, 2), (45d, 2)], due);
    }

    private static List<DateTimeOffset> Due(string expression, string from, string to)
    {
        var start = DateTimeOffset.Parse(from, System.Globalization.CultureInfo.InvariantCulture);
        var schedule = new ScheduleRecord("t", "wf", 0, [new ScheduleSegment(start, 1, Trigger(expression, "Europe/Berlin"))], start, false, null, null, null, null, "");
        return [.. ScheduleEvaluator.DueTicks(schedule, DateTimeOffset.Parse(to, System.Globalization.CultureInfo.InvariantCulture)).Select(t => t.Tick)];
    }

    private static CronTrigger Trigger(string expression, string zone = "UTC") => new(0, expression, zone, null, 0, CronTrigger.OverlapAllow);
}
