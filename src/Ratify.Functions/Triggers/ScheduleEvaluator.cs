using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ratify.Functions.Runs;
using Ratify.Functions.Workflows;

namespace Ratify.Functions.Triggers;

/// <summary>One pass over every schedule: starts a run for each due tick, skips what the schedule's policies say to skip.</summary>
/// <remarks>
/// A tick's run id is derived from the tenant, workflow, trigger index and tick time, and the cursor only moves forward by
/// conditional writes after the tick was handled: two evaluators racing (a lease handover) start each tick once, and a host
/// dying mid-pass leaves the tick to the next pass.
/// </remarks>
public sealed partial class ScheduleEvaluator(
    ScheduleStore schedules,
    RunStore runs,
    TriggeredRunLauncher launcher,
    IOptions<TriggerOptions> options,
    IServiceProvider services,
    ILogger<ScheduleEvaluator> logger)
{
    /// <summary>The outcome of a tick that started a run.</summary>
    public const string Started = "started";

    /// <summary>The outcome of a tick passed over because the schedule's previous run was still going.</summary>
    public const string SkippedOverlap = "skipped_overlap";

    /// <summary>The outcome of missed ticks beyond the trigger's catch-up bound.</summary>
    public const string SkippedMissed = "skipped_missed";

    /// <summary>The outcome of a tick whose run could not start (workflow gone, input refused).</summary>
    public const string Failed = "failed";

    private readonly TimeProvider _clock = services.GetKeyedService<TimeProvider>(TriggerOptions.ClockKey) ?? services.GetRequiredService<TimeProvider>();

    /// <summary>The clock schedules are read with.</summary>
    public TimeProvider Clock => _clock;

    /// <summary>Evaluates every schedule of every tenant once.</summary>
    public async Task EvaluateAsync(CancellationToken cancellationToken = default)
    {
        foreach (var schedule in await schedules.ListAllAsync(cancellationToken).ConfigureAwait(false))
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                await EvaluateAsync(schedule, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // Left where it was: the next pass tries the same ticks again under the same run ids.
                LogScheduleFailed(logger, e, schedule.TenantId, schedule.WorkflowId, schedule.TriggerIndex);
            }
        }
    }

    private async Task EvaluateAsync(ScheduleRecord schedule, CancellationToken cancellationToken)
    {
        var now = _clock.GetUtcNow();
        if (schedule.IsFinished)
        {
            await schedules.TryDeleteAsync(schedule, cancellationToken).ConfigureAwait(false);
            return;
        }

        var anyDue = DueTicks(schedule, now).Any();
        if (schedule.Paused || !anyDue)
        {
            // Ticks while paused are passed over; an ended schedule moves past its end so that it can be removed.
            if ((schedule.Paused ? anyDue : schedule.Current.Trigger is null) && schedule.Cursor < now)
            {
                await schedules.TryUpdateAsync(schedule with { Cursor = now }, cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        // Only the latest missed ticks within the bound are kept, so that long downtime costs time to count but no memory.
        var missedBefore = now - options.Value.MissedAfter;
        var bound = schedule.Current.Trigger?.CatchUp ?? 0;
        var kept = new Queue<(DateTimeOffset Tick, ScheduleSegment Segment)>();
        var onTime = new List<(DateTimeOffset Tick, ScheduleSegment Segment)>();
        var skipped = 0;
        var lastSkipped = DateTimeOffset.MinValue;
        foreach (var tick in DueTicks(schedule, now))
        {
            if (tick.Tick >= missedBefore)
            {
                onTime.Add(tick);
                continue;
            }

            kept.Enqueue(tick);
            if (kept.Count > bound)
            {
                lastSkipped = kept.Dequeue().Tick;
                skipped++;
            }
        }

        var due = kept.Concat(onTime).ToList();
        var current = schedule;
        if (skipped > 0)
        {
            LogMissedSkipped(logger, skipped, schedule.TenantId, schedule.WorkflowId, schedule.TriggerIndex);
            current = await schedules.TryUpdateAsync(
                current with
                {
                    Cursor = due.Count == 0 ? now : lastSkipped,
                    LastTick = lastSkipped,
                    LastOutcome = SkippedMissed,
                    LastMessage = string.Create(CultureInfo.InvariantCulture, $"{skipped} missed tick(s) skipped after downtime (catchUp {bound})"),
                },
                cancellationToken).ConfigureAwait(false);
            if (current is null)
            {
                return;
            }
        }

        for (var i = 0; i < due.Count && current is not null; i++)
        {
            var (tick, segment) = due[i];
            var handled = await HandleTickAsync(current, tick, segment, cancellationToken).ConfigureAwait(false);
            current = await schedules.TryUpdateAsync(handled with { Cursor = i == due.Count - 1 ? now : tick }, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<ScheduleRecord> HandleTickAsync(ScheduleRecord schedule, DateTimeOffset tick, ScheduleSegment segment, CancellationToken cancellationToken)
    {
        var trigger = segment.Trigger!;
        if (trigger.Overlap == CronTrigger.OverlapSkip && schedule.LastRunId is { } previous
            && await runs.GetAsync(schedule.TenantId, previous, cancellationToken).ConfigureAwait(false) is { } run
            && !RunStatuses.IsTerminal(run.Status))
        {
            return schedule with { LastTick = tick, LastOutcome = SkippedOverlap, LastMessage = $"run {previous} was still {run.Status}" };
        }

        var runId = RunIds.Derived(tick, TickIdentity(schedule, tick));
        try
        {
            var createdBy = string.Create(CultureInfo.InvariantCulture, $"schedule:{schedule.WorkflowId}/{schedule.TriggerIndex}");
            await launcher.StartAsync(schedule.TenantId, schedule.WorkflowId, segment.Version, trigger.Input, createdBy, runId, cancellationToken)
                .ConfigureAwait(false);
            return schedule with { LastTick = tick, LastRunId = runId, LastOutcome = Started, LastMessage = null };
        }
        catch (Exception e) when (e is WorkflowNotFoundException or WorkflowArchivedException or RunInputException)
        {
            // Trying again would fail the same way: record why and go on with the next tick.
            return schedule with { LastTick = tick, LastOutcome = Failed, LastMessage = e.Message };
        }
    }

    /// <summary>The ticks after the cursor up to <paramref name="now"/>, each with the segment (version) it belongs to.</summary>
    public static IEnumerable<(DateTimeOffset Tick, ScheduleSegment Segment)> DueTicks(ScheduleRecord schedule, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        for (var i = 0; i < schedule.Segments.Count; i++)
        {
            var segment = schedule.Segments[i];
            var from = segment.From > schedule.Cursor ? segment.From : schedule.Cursor;
            var to = i + 1 < schedule.Segments.Count && schedule.Segments[i + 1].From < now ? schedule.Segments[i + 1].From : now;
            if (segment.Trigger is null || from >= to)
            {
                continue;
            }

            foreach (var tick in segment.Trigger.Ticks(from, to))
            {
                yield return (tick, segment);
            }
        }
    }

    /// <summary>What makes a tick unique: the same tick of the same trigger always derives the same run id.</summary>
    public static string TickIdentity(ScheduleRecord schedule, DateTimeOffset tick)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        return string.Create(CultureInfo.InvariantCulture,
            $"cron|{schedule.TenantId}|{schedule.WorkflowId}|{schedule.TriggerIndex}|{tick.ToUnixTimeMilliseconds()}");
    }

    [LoggerMessage(EventId = 4101, Level = LogLevel.Warning, Message = "Evaluating schedule {TenantId}/{WorkflowId}/{TriggerIndex} failed; the next pass tries again")]
    private static partial void LogScheduleFailed(ILogger logger, Exception exception, string tenantId, string workflowId, int triggerIndex);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Information, Message = "Skipped {Count} missed tick(s) of schedule {TenantId}/{WorkflowId}/{TriggerIndex}")]
    private static partial void LogMissedSkipped(ILogger logger, int count, string tenantId, string workflowId, int triggerIndex);
}
