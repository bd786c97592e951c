using System.Text.Json.Nodes;
using Azure;
using Azure.Data.Tables;
using Ratify.Functions.Events;
using Ratify.Functions.Storage;

namespace Ratify.Functions.Runs;

/// <summary>The Runs table: partition = tenant, row = run id (ids sort newest first).</summary>
/// <remarks>Every change of a run's status is published as a run event from here, whoever made it.</remarks>
public sealed class RunStore(AppTables tables, AppBlobs blobs, RunEventPublisher events)
{
    private const string TableName = "Runs";

    public async Task CreateAsync(RunRecord run, CancellationToken cancellationToken = default)
    {
        if (await TryCreateAsync(run, cancellationToken).ConfigureAwait(false) is null)
        {
            throw new RunConflictException($"Run {run.RunId} already exists.");
        }
    }

    /// <summary>Writes a new run row; the row as written (for a later change without a read), or null when the row exists already.</summary>
    /// <param name="stepIds">The workflow's steps in definition order, for the run's snapshot; null when unknown.</param>
    public async Task<KnownRunRow?> TryCreateAsync(RunRecord run, CancellationToken cancellationToken = default, IReadOnlyList<string>? stepIds = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        var table = await tables.GetAsync(TableName, cancellationToken).ConfigureAwait(false);
        var row = new TableEntity(run.TenantId, run.RunId)
        {
            ["WorkflowId"] = run.WorkflowId,
            ["Version"] = run.Version,
            ["Status"] = run.Status,
            ["CreatedAt"] = run.CreatedAt,
            ["CompletedAt"] = run.CompletedAt,
            ["ErrorCode"] = run.Error?.Code,
            ["ErrorMessage"] = run.Error?.Message,
            ["ReplayOf"] = run.ReplayOf,
            ["CreatedBy"] = run.CreatedBy,
        };
        await LargeText.WriteAsync(row, "Input", run.Input?.ToJsonString(), blobs, $"runs/{run.RunId}/input.json", cancellationToken).ConfigureAwait(false);
        Response added;
        try
        {
            added = await table.AddEntityAsync(row, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (StorageErrors.IsAlreadyExists(e))
        {
            return null;
        }

        await events.RunStatusChangedAsync(run, null, run.Status, run.Error, cancellationToken, stepIds, newRun: true).ConfigureAwait(false);
        return Known(added, run.Status, run.WorkflowId, run.Version);
    }

    /// <summary>The run, or null when this tenant has no run with that id.</summary>
    public async Task<RunRecord?> GetAsync(string tenantId, string runId, CancellationToken cancellationToken = default)
    {
        if (!RunIds.IsWellFormed(runId))
        {
            return null;
        }

        var table = await tables.GetAsync(TableName, cancellationToken).ConfigureAwait(false);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(tenantId, runId, cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue ? await ReadAsync(row.Value!, cancellationToken).ConfigureAwait(false) : null;
    }

    public async Task<RunPage> ListAsync(string tenantId, RunQuery query, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName, cancellationToken).ConfigureAwait(false);
        var filters = new List<string> { TableClient.CreateQueryFilter($"PartitionKey eq {tenantId}") };

        // Ids sort newest first, so a created window is a row key range.
        if (query.CreatedTo is { } to)
        {
            filters.Add(TableClient.CreateQueryFilter($"RowKey ge {RunIds.Prefix(to)}"));
        }

        if (query.CreatedFrom is { } from)
        {
            filters.Add(TableClient.CreateQueryFilter($"RowKey le {RunIds.Prefix(from) + "~"}"));
        }

        if (query.Status is { } status)
        {
            filters.Add(TableClient.CreateQueryFilter($"Status eq {status}"));
        }

        if (query.WorkflowId is { } workflowId)
        {
            filters.Add(TableClient.CreateQueryFilter($"WorkflowId eq {workflowId}"));
        }

        var pages = table.QueryAsync<TableEntity>(string.Join(" and ", filters), query.Limit, cancellationToken: cancellationToken)
            .AsPages(query.ContinuationToken, query.Limit);
        await foreach (var page in pages.ConfigureAwait(false))
        {
            var runs = new List<RunRecord>();
            foreach (var row in page.Values)
            {
                runs.Add(await ReadAsync(row, cancellationToken).ConfigureAwait(false));
            }

            return new RunPage(runs, page.ContinuationToken);
        }

        return new RunPage([], null);
    }

    /// <summary>
    /// Sets the run's status; a finished run keeps its status unless <paramref name="reopen"/> (a retry), and a cancelled run stays
    /// cancelled. Returns the row as written, or null when the row was left alone.
    /// </summary>
    /// <param name="onlyFrom">When given, the status changes only from one of these.</param>
    /// <param name="steps">At the run's end: every step's recorded progress, published with the final event.</param>
    /// <param name="known">The row as the caller last wrote it: while its ETag matches, the change is made without reading the row first.</param>
    public async Task<KnownRunRow?> UpdateStatusAsync(
        string tenantId, string runId, string status, DateTimeOffset? completedAt, RunError? error, bool reopen = false, CancellationToken cancellationToken = default,
        IReadOnlyCollection<string>? onlyFrom = null, IReadOnlyDictionary<string, Orchestration.StepProgress>? steps = null, KnownRunRow? known = null)
    {
        var table = await tables.GetAsync(TableName, cancellationToken).ConfigureAwait(false);
        while (true)
        {
            var current = known ?? await ReadStatusAsync(table, tenantId, runId, cancellationToken).ConfigureAwait(false);
            known = null;
            var before = current.Status;
            if (!MayChange(before, status, reopen, onlyFrom))
            {
                return null;
            }

            // A merge cannot remove a property and the client leaves nulls out, so a reopened run's former error is overwritten
            // with empty text, and its former end time is ignored by the reader while the run is not final.
            var update = new TableEntity(tenantId, runId)
            {
                ["Status"] = status,
                ["CompletedAt"] = completedAt,
                ["ErrorCode"] = error?.Code ?? string.Empty,
                ["ErrorMessage"] = error?.Message ?? string.Empty,
            };
            Response written;
            try
            {
                written = await table.UpdateEntityAsync(update, new ETag(current.ETag), TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException e) when (StorageErrors.IsChanged(e))
            {
                // Changed meanwhile (or since the caller's own write): decide again on the fresh status.
                continue;
            }

            if (before != status)
            {
                var run = new RunRecord(runId, tenantId, current.WorkflowId, current.Version, status, null, default, completedAt, error, null, string.Empty);
                await events.RunStatusChangedAsync(run, reopen ? null : before, status, error, cancellationToken, steps: steps).ConfigureAwait(false);
            }

            return Known(written, status, current.WorkflowId, current.Version);
        }
    }

    /// <summary>Whether a run may move from <paramref name="before"/> to <paramref name="status"/>.</summary>
    internal static bool MayChange(string before, string status, bool reopen, IReadOnlyCollection<string>? onlyFrom)
    {
        if (onlyFrom is not null && !onlyFrom.Contains(before))
        {
            return false;
        }

        // Only a retry reopens a finished run; a late end (an orchestration that finished after its row was cancelled) does not undo a cancel.
        return reopen || !RunStatuses.IsTerminal(before) || (RunStatuses.IsTerminal(status) && (before != RunStatuses.Cancelled || status == RunStatuses.Cancelled));
    }

    /// <summary>Up to <paramref name="limit"/> of the tenant's runs that finished before <paramref name="before"/>.</summary>
    public async Task<IReadOnlyList<RunRecord>> ListFinishedBeforeAsync(string tenantId, DateTimeOffset before, int limit, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName, cancellationToken).ConfigureAwait(false);
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {tenantId} and CompletedAt lt {before} and (Status eq {RunStatuses.Completed} or Status eq {RunStatuses.Failed} or Status eq {RunStatuses.Cancelled})");
        var runs = new List<RunRecord>();
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            runs.Add(await ReadAsync(row, cancellationToken).ConfigureAwait(false));
            if (runs.Count == limit)
            {
                break;
            }
        }

        return runs;
    }

    /// <summary>Deletes the run's row and its input blob (a retention purge); false when there was no row.</summary>
    public async Task<bool> DeleteAsync(string tenantId, string runId, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName, cancellationToken).ConfigureAwait(false);
        try
        {
            await table.DeleteEntityAsync(tenantId, runId, cancellationToken: cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException e) when (StorageErrors.IsNotFound(e))
        {
            return false;
        }
    }

    private static async Task<KnownRunRow> ReadStatusAsync(TableClient table, string tenantId, string runId, CancellationToken cancellationToken)
    {
        var row = (await table.GetEntityAsync<TableEntity>(tenantId, runId, select: ["Status", "WorkflowId", "Version"], cancellationToken: cancellationToken)
            .ConfigureAwait(false)).Value;
        return new KnownRunRow(row.ETag.ToString(), row.GetString("Status") ?? string.Empty, row.GetString("WorkflowId") ?? string.Empty, row.GetInt32("Version") ?? 1);
    }

    /// <summary>The row as a write just left it; null when storage gave no ETag (the next change reads the row).</summary>
    private static KnownRunRow? Known(Response written, string status, string workflowId, int version) =>
        written.Headers.ETag is { } tag ? new KnownRunRow(tag.ToString(), status, workflowId, version) : null;

    private async Task<RunRecord> ReadAsync(TableEntity row, CancellationToken cancellationToken)
    {
        var input = await LargeText.ReadAsync(row, "Input", blobs, cancellationToken).ConfigureAwait(false);
        var code = row.GetString("ErrorCode");
        var status = row.GetString("Status") ?? RunStatuses.Pending;
        return new RunRecord(
            row.RowKey,
            row.PartitionKey,
            row.GetString("WorkflowId") ?? string.Empty,
            row.GetInt32("Version") ?? 1,
            status,
            input is null ? null : JsonNode.Parse(input),
            row.GetDateTimeOffset("CreatedAt") ?? DateTimeOffset.MinValue,
            RunStatuses.IsTerminal(status) ? row.GetDateTimeOffset("CompletedAt") : null,
            string.IsNullOrEmpty(code) ? null : new RunError(code, row.GetString("ErrorMessage") ?? string.Empty),
            row.GetString("ReplayOf"),
            row.GetString("CreatedBy") ?? string.Empty);
    }
}
