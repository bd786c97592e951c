using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Ratify.Functions.Storage;

namespace Ratify.Functions.Triggers;

/// <summary>The Schedules table: partition = tenant, row = <c>{workflowId}:{trigger index}</c>, one row per cron trigger.</summary>
/// <remarks>
/// Every write of a row is conditioned on the ETag it was read with, so a scheduler that lost its lease, a pause and a new
/// workflow version can never overwrite each other's changes; the loser reads the row again.
/// </remarks>
public sealed class ScheduleStore(AppTables tables)
{
    /// <summary>The table name under the hub.</summary>
    public const string TableName = "Schedules";

    /// <summary>Segments kept per schedule: more versions than this within one evaluation interval drop the oldest.</summary>
    public const int MaxSegments = 8;

    private const int MaxAttempts = 10;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Every schedule of every tenant (the scheduler's view).</summary>
    public async Task<IReadOnlyList<ScheduleRecord>> ListAllAsync(CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName, cancellationToken).ConfigureAwait(false);
        var rows = new List<ScheduleRecord>();
        await foreach (var row in table.QueryAsync<TableEntity>(cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            rows.Add(Read(row));
        }

        return rows;
    }

    /// <summary>The tenant's schedules in workflow and trigger order.</summary>
    public async Task<IReadOnlyList<ScheduleRecord>> ListAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName, cancellationToken).ConfigureAwait(false);
        var rows = new List<ScheduleRecord>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {tenantId}");
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            rows.Add(Read(row));
        }

        return rows;
    }

    /// <summary>One schedule, or null.</summary>
    public async Task<ScheduleRecord?> GetAsync(string tenantId, string workflowId, int triggerIndex, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName, cancellationToken).ConfigureAwait(false);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(tenantId, RowKey(workflowId, triggerIndex), cancellationToken: cancellationToken)
            .ConfigureAwait(false);
        return row.HasValue && row.Value is { } entity ? Read(entity) : null;
    }

    /// <summary>
    /// Makes the workflow's schedules follow <paramref name="triggers"/> of <paramref name="version"/> from <paramref name="now"/> on
    /// (none: the workflow was archived). Existing schedules keep their cursor; new ones start at <paramref name="now"/>.
    /// </summary>
    public async Task SyncAsync(string tenantId, string workflowId, int version, IReadOnlyList<CronTrigger> triggers, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(triggers);
        var table = await tables.GetAsync(TableName, cancellationToken).ConfigureAwait(false);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var existing = await ListWorkflowAsync(table, tenantId, workflowId, cancellationToken).ConfigureAwait(false);
            var indexes = existing.Select(s => s.TriggerIndex).Union(triggers.Select(t => t.Index)).Order();
            var actions = new List<TableTransactionAction>();
            foreach (var index in indexes)
            {
                var row = existing.FirstOrDefault(s => s.TriggerIndex == index);
                var trigger = triggers.FirstOrDefault(t => t.Index == index);
                if (row is null)
                {
                    var created = new ScheduleRecord(tenantId, workflowId, index, [new ScheduleSegment(now, version, trigger)], now, false, null, null, null, null, "");
                    actions.Add(new TableTransactionAction(TableTransactionActionType.Add, Write(created)));
                }
                else if (row.Current.Version < version && (trigger is not null || row.Current.Trigger is not null))
                {
                    var segments = row.Segments.Where((s, i) => i == row.Segments.Count - 1 || row.Segments[i + 1].From > row.Cursor)
                        .Append(new ScheduleSegment(Max(now, row.Current.From), version, trigger))
                        .TakeLast(MaxSegments)
                        .ToList();
                    actions.Add(new TableTransactionAction(TableTransactionActionType.UpdateReplace, Write(row with { Segments = segments }), new ETag(row.ETag)));
                }
            }

            if (actions.Count == 0)
            {
                return;
            }

            try
            {
                // One partition, so one transaction: all of a version's schedules change together or none do.
                await table.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (TableTransactionFailedException e) when (StorageErrors.IsConflict(e))
            {
                // The scheduler or another writer changed a row meanwhile: start over from fresh rows.
            }
        }

        throw new InvalidOperationException($"The schedules of workflow '{workflowId}' kept changing while they were being replaced.");
    }

    /// <summary>Writes <paramref name="schedule"/> if its row is unchanged since it was read: the row as written, or null when it changed.</summary>
    public async Task<ScheduleRecord?> TryUpdateAsync(ScheduleRecord schedule, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        var table = await tables.GetAsync(TableName, cancellationToken).ConfigureAwait(false);
        try
        {
            var response = await table.UpdateEntityAsync(Write(schedule), new ETag(schedule.ETag), TableUpdateMode.Replace, cancellationToken)
                .ConfigureAwait(false);
            return schedule with { ETag = response.Headers.ETag?.ToString() ?? string.Empty };
        }
        catch (RequestFailedException e) when (StorageErrors.IsGoneOrChanged(e))
        {
            return null;
        }
    }

    /// <summary>Pauses or resumes a schedule; a resumed one starts from <paramref name="now"/>, so ticks while paused never run. Null when there is no such schedule.</summary>
    public async Task<ScheduleRecord?> SetPausedAsync(string tenantId, string workflowId, int triggerIndex, bool paused, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var schedule = await GetAsync(tenantId, workflowId, triggerIndex, cancellationToken).ConfigureAwait(false);
            if (schedule is null || schedule.Current.Trigger is null)
            {
                return null;
            }

            if (schedule.Paused == paused)
            {
                return schedule;
            }

            var changed = schedule with { Paused = paused, Cursor = paused || schedule.Cursor > now ? schedule.Cursor : now };
            if (await TryUpdateAsync(changed, cancellationToken).ConfigureAwait(false) is { } written)
            {
                return written;
            }
        }

        throw new InvalidOperationException($"The schedule of workflow '{workflowId}' trigger {triggerIndex} kept changing while it was being paused or resumed.");
    }

    /// <summary>Removes a finished schedule if it is unchanged since it was read.</summary>
    public async Task TryDeleteAsync(ScheduleRecord schedule, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        var table = await tables.GetAsync(TableName, cancellationToken).ConfigureAwait(false);
        try
        {
            await table.DeleteEntityAsync(schedule.TenantId, RowKey(schedule.WorkflowId, schedule.TriggerIndex), new ETag(schedule.ETag), cancellationToken)
                .ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (StorageErrors.IsGoneOrChanged(e))
        {
            // Gone already, or a new version brought the trigger back.
        }
    }

    private static async Task<List<ScheduleRecord>> ListWorkflowAsync(TableClient table, string tenantId, string workflowId, CancellationToken cancellationToken)
    {
        // ':' sorts right after the digits, so [id:, id;) is exactly this workflow's rows.
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {tenantId} and RowKey ge {workflowId + ":"} and RowKey lt {workflowId + ";"}");
        var rows = new List<ScheduleRecord>();
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            rows.Add(Read(row));
        }

        return rows;
    }

    private static TableEntity Write(ScheduleRecord s) => new(s.TenantId, RowKey(s.WorkflowId, s.TriggerIndex))
    {
        ["WorkflowId"] = s.WorkflowId,
        ["TriggerIndex"] = s.TriggerIndex,
        ["Segments"] = JsonSerializer.Serialize(s.Segments, Json),
        ["Cursor"] = s.Cursor,
        ["Paused"] = s.Paused,
        ["LastTick"] = s.LastTick,
        ["LastRunId"] = s.LastRunId,
        ["LastOutcome"] = s.LastOutcome,
        ["LastMessage"] = s.LastMessage,
    };

    private static ScheduleRecord Read(TableEntity row) => new(
        row.PartitionKey,
        row.GetString("WorkflowId") ?? string.Empty,
        row.GetInt32("TriggerIndex") ?? 0,
        JsonSerializer.Deserialize<List<ScheduleSegment>>(row.GetString("Segments") ?? "[]", Json) ?? [],
        row.GetDateTimeOffset("Cursor") ?? DateTimeOffset.MinValue,
        row.GetBoolean("Paused") ?? false,
        row.GetDateTimeOffset("LastTick"),
        row.GetString("LastRunId"),
        row.GetString("LastOutcome"),
        row.GetString("LastMessage"),
        row.ETag.ToString());

    private static string RowKey(string workflowId, int index) => workflowId + ":" + index.ToString("D2", CultureInfo.InvariantCulture);

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
