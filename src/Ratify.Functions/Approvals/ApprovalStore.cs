using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Ratify.Functions.Events;
using Ratify.Functions.Storage;

namespace Ratify.Functions.Approvals;

/// <summary>
/// The Approvals table (partition = tenant, row = approval id), the ApprovalOpenings table (partition = approval id), and the
/// ApprovalsDeciding table (one partition: a note per decision being stored, until its run has been told).
/// Every change is a read, a change and a write guarded by the row's ETag, so that of two concurrent decisions exactly one wins.
/// Opening and settling a gate are published as run events from here, whoever did it.
/// </summary>
public sealed class ApprovalStore(AppTables tables, RunEventPublisher events)
{
    private const string TableName = "Approvals";
    private const string OpeningsTable = "ApprovalOpenings";
    private const string DecidingTable = "ApprovalsDeciding";
    private const string DecidingPartition = "deciding";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The most storage reads one page of a listing makes.</summary>
    private const int MaxReadsPerPage = 5;

    /// <summary>Writes a new approval; when one with that id exists already (an activity ran twice) returns the stored one.</summary>
    public async Task<ApprovalRecord> CreateAsync(ApprovalRecord approval, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(approval);
        var table = await tables.GetAsync(TableName, cancellationToken).ConfigureAwait(false);
        try
        {
            await table.AddEntityAsync(ToRow(approval), cancellationToken).ConfigureAwait(false);
            await events.ApprovalRequestedAsync(approval, cancellationToken).ConfigureAwait(false);
            return approval;
        }
        catch (RequestFailedException e) when (StorageErrors.IsAlreadyExists(e))
        {
            return (await GetAsync(approval.TenantId, approval.ApprovalId, cancellationToken).ConfigureAwait(false))!;
        }
    }

    /// <summary>The approval, or null when this tenant has none with that id.</summary>
    public async Task<ApprovalRecord?> GetAsync(string tenantId, string approvalId, CancellationToken cancellationToken = default)
    {
        if (!ApprovalIds.IsWellFormed(approvalId))
        {
            return null;
        }

        var table = await tables.GetAsync(TableName, cancellationToken).ConfigureAwait(false);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(tenantId, approvalId, cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue ? FromRow(row.Value!) : null;
    }

    /// <summary>
    /// One page of the tenant's approvals in approval id order: the tenant, status and run are filtered by the table query, and
    /// <paramref name="keep"/> (what the query cannot express) here. Storage pages are read whole until the page is full, the
    /// approvals end, or <see cref="MaxReadsPerPage"/> reads were made, so a page may hold fewer than the limit, even none, while
    /// a continuation remains; the continuation always starts after the last row read, so no approval is listed twice or missed.
    /// </summary>
    public async Task<ApprovalPage> ListAsync(string tenantId, ApprovalQuery query, Func<ApprovalRecord, bool> keep, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(keep);
        var table = await tables.GetAsync(TableName, cancellationToken).ConfigureAwait(false);
        var filters = new List<string> { TableClient.CreateQueryFilter($"PartitionKey eq {tenantId}") };
        if (query.Status is { } status)
        {
            filters.Add(TableClient.CreateQueryFilter($"Status eq {status}"));
        }

        if (query.RunId is { } runId)
        {
            filters.Add(TableClient.CreateQueryFilter($"RunId eq {runId}"));
        }

        var filter = string.Join(" and ", filters);
        var found = new List<ApprovalRecord>(query.Limit);
        var continuation = query.ContinuationToken;
        for (var reads = 0; reads < MaxReadsPerPage; reads++)
        {
            // Never more rows than the page has room for, so every row read is either listed or filtered out.
            var room = query.Limit - found.Count;
            Page<TableEntity>? page = null;
            await foreach (var first in table.QueryAsync<TableEntity>(filter, room, cancellationToken: cancellationToken).AsPages(continuation, room).ConfigureAwait(false))
            {
                page = first;
                break;
            }

            found.AddRange(page?.Values.Select(FromRow).Where(keep) ?? []);
            continuation = page?.ContinuationToken;
            if (continuation is null || found.Count >= query.Limit)
            {
                break;
            }
        }

        return new ApprovalPage(found, continuation);
    }

    /// <summary>
    /// Notes that a decision on the approval may be about to be stored: written before the decision, deleted by the same request
    /// once the run has been told (or nothing was decided), so that a host that stops in between leaves the note behind for
    /// <see cref="ListUndeliveredAsync"/>. Returns the note's id.
    /// </summary>
    public async Task<string> NoteDecidingAsync(string tenantId, string approvalId, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(DecidingTable, cancellationToken).ConfigureAwait(false);
        var noteId = $"{approvalId}_{Guid.NewGuid():N}";
        await table.AddEntityAsync(new TableEntity(DecidingPartition, noteId) { ["TenantId"] = tenantId, ["ApprovalId"] = approvalId }, cancellationToken)
            .ConfigureAwait(false);
        return noteId;
    }

    /// <summary>Deletes a note written by <see cref="NoteDecidingAsync"/> (gone already is fine).</summary>
    public async Task ClearDecidingAsync(string noteId, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(DecidingTable, cancellationToken).ConfigureAwait(false);
        await table.DeleteEntityAsync(DecidingPartition, noteId, ETag.All, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The notes older than <paramref name="before"/>, each with its approval (null when gone): only these are read, never the
    /// whole Approvals table. A decided approval whose run has not been told is among them.
    /// </summary>
    public async Task<IReadOnlyList<(string NoteId, ApprovalRecord? Approval)>> ListUndeliveredAsync(DateTimeOffset before, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(DecidingTable, cancellationToken).ConfigureAwait(false);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {DecidingPartition} and Timestamp le {before}");
        var found = new List<(string, ApprovalRecord?)>();
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            var approval = await GetAsync(row.GetString("TenantId") ?? string.Empty, row.GetString("ApprovalId") ?? string.Empty, cancellationToken).ConfigureAwait(false);
            found.Add((row.RowKey, approval));
        }

        return found;
    }

    /// <summary>
    /// Applies <paramref name="change"/> to the stored approval and writes the result if it returns a new record, retrying on a
    /// concurrent write with the fresh state. Null when the approval does not exist.
    /// </summary>
    public async Task<(ApprovalRecord Approval, T Result)?> UpdateAsync<T>(
        string tenantId, string approvalId, Func<ApprovalRecord, (ApprovalRecord? Next, T Result)> change, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (!ApprovalIds.IsWellFormed(approvalId))
        {
            return null;
        }

        var table = await tables.GetAsync(TableName, cancellationToken).ConfigureAwait(false);
        while (true)
        {
            var row = await table.GetEntityIfExistsAsync<TableEntity>(tenantId, approvalId, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (!row.HasValue)
            {
                return null;
            }

            var current = FromRow(row.Value!);
            var (next, result) = change(current);
            if (next is null)
            {
                return (current, result);
            }

            try
            {
                await table.UpdateEntityAsync(ToRow(next), row.Value!.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                if (current.Status == ApprovalStatuses.Pending && next.Status != ApprovalStatuses.Pending)
                {
                    await events.ApprovalResolvedAsync(next, cancellationToken).ConfigureAwait(false);
                }

                return (next, result);
            }
            catch (RequestFailedException e) when (StorageErrors.IsChanged(e))
            {
                // Another writer won: decide again on what it wrote.
            }
        }
    }

    /// <summary>The ids of the tenant's approvals opened by <paramref name="runId"/>'s gates.</summary>
    public async Task<IReadOnlyList<string>> ListIdsForRunAsync(string tenantId, string runId, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName, cancellationToken).ConfigureAwait(false);
        var ids = new List<string>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {tenantId} and RunId eq {runId}");
        await foreach (var row in table.QueryAsync<TableEntity>(filter, select: ["RowKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            ids.Add(row.RowKey);
        }

        return ids;
    }

    /// <summary>
    /// Deletes the run's approvals with their link openings and deciding notes (a purge). The approvals go last, so that a purge
    /// stopped half-way finds them again and finishes.
    /// </summary>
    public async Task DeleteForRunAsync(string tenantId, string runId, CancellationToken cancellationToken = default)
    {
        var openings = await tables.GetAsync(OpeningsTable, cancellationToken).ConfigureAwait(false);
        var deciding = await tables.GetAsync(DecidingTable, cancellationToken).ConfigureAwait(false);
        foreach (var approvalId in await ListIdsForRunAsync(tenantId, runId, cancellationToken).ConfigureAwait(false))
        {
            await PartitionRows.DeleteAsync(openings, approvalId, cancellationToken).ConfigureAwait(false);
            await PartitionRows.DeleteAsync(deciding, DecidingPartition, cancellationToken, TableClient.CreateQueryFilter($"ApprovalId eq {approvalId}")).ConfigureAwait(false);
        }

        var approvals = await tables.GetAsync(TableName, cancellationToken).ConfigureAwait(false);
        await PartitionRows.DeleteAsync(approvals, tenantId, cancellationToken, TableClient.CreateQueryFilter($"RunId eq {runId}")).ConfigureAwait(false);
    }

    /// <summary>Records one opening of a context link; returns the opening's id.</summary>
    public async Task<string> RecordOpeningAsync(string approvalId, ApprovalOpening opening, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(opening);
        var table = await tables.GetAsync(OpeningsTable, cancellationToken).ConfigureAwait(false);
        var rowKey = $"{opening.At.UtcTicks:D19}_{Guid.NewGuid():N}";
        await table.AddEntityAsync(new TableEntity(approvalId, rowKey)
        {
            ["Approver"] = opening.Approver,
            ["TokenId"] = opening.TokenId,
            ["At"] = opening.At,
        }, cancellationToken).ConfigureAwait(false);
        return rowKey;
    }

    /// <summary>Every recorded opening of the approval's links, oldest first.</summary>
    public async Task<IReadOnlyList<ApprovalOpening>> ListOpeningsAsync(string approvalId, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(OpeningsTable, cancellationToken).ConfigureAwait(false);
        var openings = new List<ApprovalOpening>();
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {approvalId}"), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            openings.Add(new ApprovalOpening(row.GetString("Approver") ?? "", row.GetString("TokenId") ?? "", row.GetDateTimeOffset("At") ?? DateTimeOffset.MinValue));
        }

        return openings;
    }

    private static TableEntity ToRow(ApprovalRecord a) => new(a.TenantId, a.ApprovalId)
    {
        ["RunId"] = a.RunId,
        ["StepId"] = a.StepId,
        ["WorkflowId"] = a.WorkflowId,
        ["Version"] = a.Version,
        ["RunStartedBy"] = a.RunStartedBy,
        ["Status"] = a.Status,
        ["Message"] = a.Message,
        ["Artifacts"] = JsonSerializer.Serialize(a.Artifacts, Json),
        ["Approvers"] = JsonSerializer.Serialize(a.Approvers, Json),
        ["Quorum"] = a.Quorum,
        ["AllowSelfApproval"] = a.AllowSelfApproval,
        ["OnTimeout"] = a.OnTimeout,
        ["EscalateTo"] = JsonSerializer.Serialize(a.EscalateTo, Json),
        ["Timeout"] = a.Timeout,
        ["CreatedAt"] = a.CreatedAt,
        ["ExpiresAt"] = a.ExpiresAt,
        ["Round"] = a.Round,
        ["LinkGeneration"] = a.LinkGeneration,
        ["Votes"] = JsonSerializer.Serialize(a.Votes, Json),
        ["Decision"] = a.Decision is null ? null : JsonSerializer.Serialize(a.Decision, Json),
        ["Notifications"] = JsonSerializer.Serialize(a.Notifications, Json),
        ["Raised"] = a.Raised,
    };

    private static ApprovalRecord FromRow(TableEntity row) => new(
        row.PartitionKey,
        row.RowKey,
        row.GetString("RunId") ?? "",
        row.GetString("StepId") ?? "",
        row.GetString("WorkflowId") ?? "",
        row.GetInt32("Version") ?? 1,
        row.GetString("RunStartedBy") ?? "",
        row.GetString("Status") ?? ApprovalStatuses.Pending,
        row.GetString("Message") ?? "",
        Read<List<ApprovalArtifact>>(row, "Artifacts") ?? [],
        Read<List<string>>(row, "Approvers") ?? [],
        row.GetInt32("Quorum") ?? 1,
        row.GetBoolean("AllowSelfApproval") ?? false,
        row.GetString("OnTimeout") ?? "reject",
        Read<List<string>>(row, "EscalateTo") ?? [],
        row.GetString("Timeout"),
        row.GetDateTimeOffset("CreatedAt") ?? DateTimeOffset.MinValue,
        row.GetDateTimeOffset("ExpiresAt"),
        row.GetInt32("Round") ?? 0,
        row.GetInt32("LinkGeneration") ?? 0,
        Read<List<ApprovalVote>>(row, "Votes") ?? [],
        Read<ApprovalDecision>(row, "Decision"),
        Read<List<ApprovalNotification>>(row, "Notifications") ?? [],
        row.GetBoolean("Raised") ?? false);

    private static T? Read<T>(TableEntity row, string column) =>
        row.GetString(column) is { Length: > 0 } json ? JsonSerializer.Deserialize<T>(json, Json) : default;
}
