using System.Text.Json.Nodes;
using Cronos;

namespace Ratify.Functions.Triggers;

/// <summary>A checked <c>{"type": "cron"}</c> trigger of a workflow version.</summary>
/// <param name="Index">Its position in <c>triggers</c>: with the workflow id it names the schedule.</param>
/// <param name="Schedule">The expression as written (five fields, or six with seconds first).</param>
/// <param name="TimeZone">The IANA (or Windows) zone id the expression is read in; <c>UTC</c> by default.</param>
/// <param name="Input">The input every run of the schedule starts with.</param>
/// <param name="CatchUp">How many missed ticks are started after downtime, the latest first; 0 skips them all.</param>
/// <param name="Overlap"><c>skip</c>: no new run while the schedule's previous one is going; <c>allow</c>: a run per tick regardless.</param>
public sealed record CronTrigger(int Index, string Schedule, string TimeZone, JsonNode? Input, int CatchUp, string Overlap)
{
    /// <summary>The overlap policy that starts no run while the previous one is going.</summary>
    public const string OverlapSkip = "skip";

    /// <summary>The overlap policy that starts a run on every tick.</summary>
    public const string OverlapAllow = "allow";

    /// <summary>The schedule's ticks after <paramref name="from"/> up to and including <paramref name="to"/>, in order.</summary>
    public IEnumerable<DateTimeOffset> Ticks(DateTimeOffset from, DateTimeOffset to) =>
        CronSchedules.Ticks(Schedule, TimeZone, from, to);

    /// <summary>The first tick after <paramref name="from"/>, or null when the expression never fires again.</summary>
    public DateTimeOffset? NextTick(DateTimeOffset from) =>
        CronSchedules.Parse(Schedule).GetNextOccurrence(from, CronSchedules.FindZone(TimeZone));

    internal static CronExpression Expression(string schedule) => CronSchedules.Parse(schedule);
}
