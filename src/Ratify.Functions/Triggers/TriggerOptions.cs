namespace Ratify.Functions.Triggers;

/// <summary>How the cron scheduler runs, bound from <c>Ratify:Triggers</c>.</summary>
public sealed class TriggerOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Ratify:Triggers";

    /// <summary>The service key of a <see cref="TimeProvider"/> that schedules read instead of the system clock (tests move it).</summary>
    public const string ClockKey = "triggers";

    /// <summary>Whether this host takes part in evaluating schedules (<c>Ratify:Triggers:SchedulerEnabled</c>). Default: true.</summary>
    public bool SchedulerEnabled { get; set; } = true;

    /// <summary>How often the lease holder evaluates every schedule (<c>Ratify:Triggers:PollInterval</c>). Default: 1 second.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The scheduler lease (<c>Ratify:Triggers:LeaseDuration</c>), 15 to 60 seconds; another host takes over this long after the holder dies. Default: 15 seconds.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// A tick older than this when it is evaluated was missed (the scheduler was down) and follows the trigger's
    /// <c>catchUp</c> (<c>Ratify:Triggers:MissedAfter</c>). Default: 1 minute, above a lease takeover.
    /// </summary>
    public TimeSpan MissedAfter { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How often the lease holder checks that every workflow's schedules follow its latest version, repairing a version whose
    /// host died before replacing them (<c>Ratify:Triggers:RepairInterval</c>). Default: 5 minutes, and once on taking the lease.
    /// </summary>
    public TimeSpan RepairInterval { get; set; } = TimeSpan.FromMinutes(5);
}
