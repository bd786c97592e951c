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
        if (!await TryCreateAsync(run, cancellationToken).ConfigureAwait(false))
        {
            throw new RunConflictException($"Run {run.RunId} already exists.");
        }
    }

    /// <summary>Writes a new run row; false when the row exists already.</summary>
    /// <param name="stepIds">The workflow's steps in definition order, for the run's snapshot; null when unknown.</param>
    public async Task<bool> TryCreateAsync(RunRecord run, CancellationToken cancellationToken = default, IReadOnlyList<string>? stepIds = null)
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
        try
        {
            await table.AddEntityAsync(row, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (StorageErrors.IsAlreadyExists(e))
        {
            return false;
        }

        await events.RunStatusChangedAsync(run, null, run.Status, run.Error, cancellationToken, stepIds).ConfigureAwait(false);
        return true;
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

    /// <summary>Sets the run's status; a finished run keeps its status unless <paramref name="reopen"/> (a retry).</summary>
    /// <param name="onlyFrom">When given, the status changes only from one of these.</param>
    /// <param name="steps">At the run's end: every step's recorded progress, published with the final event.</param>
    public async Task UpdateStatusAsync(
        string tenantId, string runId, string status, DateTimeOffset? completedAt, RunError? error, bool reopen = false, CancellationToken cancellationToken = default,
        IReadOnlyCollection<string>? onlyFrom = null, IReadOnlyDictionary<string, Orchestration.StepProgress>? steps = null)
    {
        var table = await tables.GetAsync(TableName, cancellationToken).ConfigureAwait(false);
        while (true)
        {
            var current = await table.GetEntityAsync<TableEntity>(tenantId, runId, select: ["Status", "WorkflowId", "Version"], cancellationToken: cancellationToken)
                .ConfigureAwait(false);
            var before = current.Value.GetString("Status") ?? string.Empty;
            if ((!reopen && RunStatuses.IsTerminal(before) && !RunStatuses.IsTerminal(status)) || (onlyFrom is not null && !onlyFrom.Contains(before)))
            {
                return;
            }

            var update = new TableEntity(tenantId, runId)
            {
                ["Status"] = status,
                ["CompletedAt"] = completedAt,
                ["ErrorCode"] = error?.Code,
                ["ErrorMessage"] = error?.Message,
            };
            try
            {
                await table.UpdateEntityAsync(update, current.Value.ETag, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
                if (before != status)
                {
                    var run = new RunRecord(runId, tenantId, current.Value.GetString("WorkflowId") ?? string.Empty, current.Value.GetInt32("Version") ?? 1,
                        status, null, default, completedAt, error, null, string.Empty);
                    await events.RunStatusChangedAsync(run, reopen ? null : before, status, error, cancellationToken, steps: steps).ConfigureAwait(false);
                }

                return;
            }
            catch (RequestFailedException e) when (StorageErrors.IsChanged(e))
            {
                // Changed meanwhile: decide again on the fresh status.
            }
        }
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

    private async Task<RunRecord> ReadAsync(TableEntity row, CancellationToken cancellationToken)
    {
        var input = await LargeText.ReadAsync(row, "Input", blobs, cancellationToken).ConfigureAwait(false);
        var code = row.GetString("ErrorCode");
        return new RunRecord(
            row.RowKey,
            row.PartitionKey,
            row.GetString("WorkflowId") ?? string.Empty,
            row.GetInt32("Version") ?? 1,
            row.GetString("Status") ?? RunStatuses.Pending,
            input is null ? null : JsonNode.Parse(input),
            row.GetDateTimeOffset("CreatedAt") ?? DateTimeOffset.MinValue,
            row.GetDateTimeOffset("CompletedAt"),
            code is null ? null : new RunError(code, row.GetString("ErrorMessage") ?? string.Empty),
            row.GetString("ReplayOf"),
            row.GetString("CreatedBy") ?? string.Empty);
    }

}
