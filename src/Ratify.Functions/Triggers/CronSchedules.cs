using System.Collections.Concurrent;
using Cronos;

namespace Ratify.Functions.Triggers;

/// <summary>Cron expressions and time zones through Cronos, which handles daylight-saving gaps and overlaps.</summary>
/// <remarks>
/// In a spring-forward gap a tick that does not exist fires at the first instant after it; in a fall-back overlap a
/// tick at a fixed time fires once, while interval fields (<c>*/15</c>) fire in both copies of the hour (Cronos' rules).
/// </remarks>
public static class CronSchedules
{
    private static readonly ConcurrentDictionary<string, CronExpression> Expressions = new(StringComparer.Ordinal);

    /// <summary>Parses five fields (minute first) or six (second first, as Functions timer triggers write them); null with a reason otherwise.</summary>
    public static CronExpression? TryParse(string schedule, out string? error)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        error = null;
        var fields = schedule.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;
        if (fields is not (5 or 6) && !schedule.TrimStart().StartsWith('@'))
        {
            error = $"a cron expression has 5 fields (minute hour day month weekday) or 6 (second first), not {fields}";
            return null;
        }

        try
        {
            return CronExpression.Parse(schedule, fields == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard);
        }
        catch (CronFormatException e)
        {
            error = "invalid cron expression: " + e.Message;
            return null;
        }
    }

    /// <summary>The expression, parsed once per process.</summary>
    /// <exception cref="FormatException">The expression is invalid (definition validation prevents this).</exception>
    public static CronExpression Parse(string schedule) => Expressions.GetOrAdd(schedule, s =>
        TryParse(s, out var error) ?? throw new FormatException(error));

    /// <summary>The time zone with an IANA or Windows id; null when the host knows no such zone.</summary>
    public static TimeZoneInfo? TryFindZone(string id)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            return null;
        }

        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return null;
        }
    }

    /// <summary>The zone of a checked trigger.</summary>
    /// <exception cref="TimeZoneNotFoundException">The zone is unknown here (definition validation prevents this).</exception>
    public static TimeZoneInfo FindZone(string id) =>
        TryFindZone(id) ?? throw new TimeZoneNotFoundException($"Time zone '{id}' is not known on this host.");

    /// <summary>Every tick of <paramref name="schedule"/> in <paramref name="zone"/> after <paramref name="from"/>, up to and including <paramref name="to"/>.</summary>
    public static IEnumerable<DateTimeOffset> Ticks(string schedule, string zone, DateTimeOffset from, DateTimeOffset to) =>
        from >= to
            ? []
            : Parse(schedule).GetOccurrences(from.UtcDateTime, to.UtcDateTime, FindZone(zone), fromInclusive: false, toInclusive: true)
                .Select(t => new DateTimeOffset(t, TimeSpan.Zero));
}
