using System.Text.Json;
using System.Text.Json.Nodes;
using Azure;
using Azure.Data.Tables;
using Ratify.Durable.History;

namespace Ratify.Durable.Storage;

/// <summary>
/// The History table: partition = instance id, one state row, and the events of each episode packed
/// into rows keyed <c>{executionId}-{index of first event}</c>.
/// </summary>
/// <remarks>
/// An episode's event rows and the state row are written in one entity-group transaction guarded by
/// the state row's ETag, so a crashed or duplicate worker can never leave a partial or second history.
/// Events too large for a row are kept in blobs and referenced from the row.
/// </remarks>
internal sealed class HistoryStore(StorageAccount account, PayloadStore payloads)
{
    private const string StateRowKey = "state";
    private const string KeptExecutionsProperty = "KeptExecutions";
    private const string CreatedTimeProperty = "CreatedTime";
    private const string LastUpdatedTimeProperty = "LastUpdatedTime";
    private const int ChunkBytes = 60_000;          // a binary property holds at most 64 KiB
    private const int RowBytes = 14 * ChunkBytes;   // an entity holds at most 1 MiB
    private const int MaxEpisodeBytes = 2_000_000;  // a transaction holds at most 4 MiB
    private const int MaxInlineEventBytes = 256_000;
    private const int MaxTransactionActions = 100;
    private static readonly string[] StateProperties =
        ["ExecutionId", "Name", "RuntimeStatus", CreatedTimeProperty, LastUpdatedTimeProperty, "CustomStatus", "CustomStatusBlob"];

    public async Task<HistorySnapshot?> LoadAsync(string instanceId, CancellationToken cancellationToken = default)
    {
        TableEntity? state = null;
        var rows = new List<TableEntity>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {instanceId}");
        await foreach (var row in account.History.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (row.RowKey == StateRowKey)
            {
                state = row;
            }
            else
            {
                rows.Add(row);
            }
        }

        if (state is null)
        {
            return null;
        }

        var executionId = state.GetString("ExecutionId");
        var prefix = executionId + "-";
        var events = new List<HistoryEvent>();
        var current = rows.Where(r => r.RowKey.StartsWith(prefix, StringComparison.Ordinal)).OrderBy(r => r.RowKey, StringComparer.Ordinal).ToList();
        foreach (var row in current)
        {
            events.AddRange(await ReadEventsAsync(row).ConfigureAwait(false));
        }

        // Rows of a kept execution (the instance was started again after it finished) are history, not garbage.
        var kept = (state.GetString(KeptExecutionsProperty) ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries);
        var obsolete = rows.Where(r => !r.RowKey.StartsWith(prefix, StringComparison.Ordinal) && !kept.Any(k => r.RowKey.StartsWith(k + "-", StringComparison.Ordinal)))
            .Select(r => r.RowKey).ToList();
        var customStatus = await ReadLargeStringAsync(state, "CustomStatus").ConfigureAwait(false);
        return new HistorySnapshot(executionId, events, customStatus, state.ETag, [.. current.Select(r => r.RowKey)], obsolete, state.GetInt64("Revision") ?? 0, kept);
    }

    /// <summary>The state row in one point read (event rows are not read); null when the instance has no history.</summary>
    /// <remarks>It is written with every episode, so it is where a running instance's custom status is current: the Instances row is written only when the runtime status changes.</remarks>
    public async Task<InstanceStateRow?> ReadStateAsync(string instanceId, CancellationToken cancellationToken = default)
    {
        var response = await account.History.GetEntityIfExistsAsync<TableEntity>(instanceId, StateRowKey, StateProperties, cancellationToken).ConfigureAwait(false);
        if (!response.HasValue)
        {
            return null;
        }

        var state = response.Value!;
        var committedAt = state.Timestamp?.UtcDateTime ?? DateTime.UtcNow;
        return new InstanceStateRow(
            state.GetString("ExecutionId") ?? string.Empty,
            state.GetString("Name") ?? string.Empty,
            Enum.TryParse<OrchestrationRuntimeStatus>(state.GetString("RuntimeStatus"), out var status) ? status : OrchestrationRuntimeStatus.Pending,
            state.GetDateTime(CreatedTimeProperty),
            state.GetDateTime(LastUpdatedTimeProperty) ?? committedAt,
            await ReadLargeStringAsync(state, "CustomStatus").ConfigureAwait(false));
    }

    /// <summary>Writes the episode atomically and returns the state row's new ETag with the keys of the rows written.</summary>
    /// <exception cref="HistoryConflictException">Another writer committed first.</exception>
    public async Task<(ETag ETag, IReadOnlyList<string> RowKeys)> CommitAsync(HistoryCommit commit)
    {
        var eventRows = await BuildEventRowsAsync(commit).ConfigureAwait(false);
        var state = new TableEntity(commit.InstanceId, StateRowKey)
        {
            ["ExecutionId"] = commit.ExecutionId,
            ["Name"] = commit.Name,
            ["RuntimeStatus"] = commit.Status.ToString(),
            ["EventCount"] = commit.FirstEventIndex + commit.NewEvents.Count,
            ["Revision"] = commit.Revision,
            [KeptExecutionsProperty] = commit.KeptExecutions is { Count: > 0 } kept ? string.Join(',', kept) : null,
            [CreatedTimeProperty] = commit.CreatedTime,
            [LastUpdatedTimeProperty] = commit.NewEvents.Count > 0 ? commit.NewEvents[^1].Timestamp : null,
        };
        await WriteLargeStringAsync(state, commit.InstanceId, "CustomStatus", commit.CustomStatus).ConfigureAwait(false);

        var actions = eventRows.Select(row => new TableTransactionAction(TableTransactionActionType.Add, row)).ToList();
        var deletesInline = commit.ObsoleteRowKeys.Take(MaxTransactionActions - 1 - actions.Count).ToList();
        actions.AddRange(deletesInline.Select(key => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(commit.InstanceId, key), ETag.All)));
        actions.Add(commit.ExpectedETag is { } etag
            ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, state, etag)
            : new TableTransactionAction(TableTransactionActionType.Add, state));
        if (actions.Count > MaxTransactionActions)
        {
            throw new InvalidOperationException($"The episode of '{commit.InstanceId}' needs {actions.Count} rows, more than one transaction holds.");
        }

        Response<IReadOnlyList<Response>> response;
        try
        {
            response = await account.History.SubmitTransactionAsync(actions).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (StorageErrors.IsConflict(e))
        {
            throw new HistoryConflictException(commit.InstanceId, e);
        }

        var leftovers = commit.ObsoleteRowKeys.Skip(deletesInline.Count).ToList();
        if (leftovers.Count > 0)
        {
            await DeleteRowsAsync(commit.InstanceId, leftovers).ConfigureAwait(false);
        }

        var newETag = response.Value[^1].Headers.ETag ?? throw new InvalidOperationException("The state row was written without an ETag.");
        return (newETag, [.. eventRows.Select(r => r.RowKey)]);
    }

    /// <summary>
    /// Rewrites the state row's ETag (nothing else) so that every host still holding the old one is refused when it commits:
    /// a host that loads an instance this way becomes its only writer, even against a frozen host that wakes with an episode half sent.
    /// </summary>
    /// <exception cref="HistoryConflictException">Another writer committed since <paramref name="loaded"/>.</exception>
    public async Task<ETag> ClaimAsync(string instanceId, ETag loaded)
    {
        try
        {
            var claim = new TableEntity(instanceId, StateRowKey) { ["ClaimedAt"] = DateTimeOffset.UtcNow };
            var response = await account.History.UpdateEntityAsync(claim, loaded, TableUpdateMode.Merge).ConfigureAwait(false);
            return response.Headers.ETag ?? throw new InvalidOperationException("The state row was written without an ETag.");
        }
        catch (RequestFailedException e) when (StorageErrors.IsConflict(e) || StorageErrors.IsNotFound(e))
        {
            throw new HistoryConflictException(instanceId, e);
        }
    }

    public async Task DeleteAsync(string instanceId)
    {
        var keys = new List<string>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {instanceId}");
        await foreach (var row in account.History.QueryAsync<TableEntity>(filter, select: ["RowKey"]).ConfigureAwait(false))
        {
            keys.Add(row.RowKey);
        }

        await DeleteRowsAsync(instanceId, keys).ConfigureAwait(false);
    }

    private async Task DeleteRowsAsync(string instanceId, IReadOnlyList<string> rowKeys)
    {
        foreach (var batch in rowKeys.Chunk(MaxTransactionActions))
        {
            var deletes = batch.Select(key => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(instanceId, key), ETag.All));
            await account.History.SubmitTransactionAsync(deletes).ConfigureAwait(false);
        }
    }

    private async Task<List<TableEntity>> BuildEventRowsAsync(HistoryCommit commit)
    {
        var encoded = commit.NewEvents.Select(e => JsonSerializer.SerializeToUtf8Bytes(e, StorageJson.Options)).ToList();
        await OffloadLargeEventsAsync(commit.InstanceId, encoded).ConfigureAwait(false);

        var rows = new List<TableEntity>();
        var index = commit.FirstEventIndex;
        var start = 0;
        while (start < encoded.Count)
        {
            var end = start;
            var bytes = 2;
            while (end < encoded.Count && (end == start || bytes + encoded[end].Length + 1 <= RowBytes))
            {
                bytes += encoded[end].Length + 1;
                end++;
            }

            rows.Add(EventRow(commit.InstanceId, $"{commit.ExecutionId}-{index + start:D8}", encoded.GetRange(start, end - start)));
            start = end;
        }

        return rows;
    }

    private async Task OffloadLargeEventsAsync(string instanceId, List<byte[]> encoded)
    {
        var total = encoded.Sum(e => e.Length);
        var offload = new List<int>();
        foreach (var i in Enumerable.Range(0, encoded.Count).OrderByDescending(i => encoded[i].Length))
        {
            if (encoded[i].Length <= MaxInlineEventBytes && total <= MaxEpisodeBytes)
            {
                break;
            }

            offload.Add(i);
            total -= encoded[i].Length;
        }

        var names = await Task.WhenAll(offload.Select(i => payloads.UploadAsync(instanceId, BinaryData.FromBytes(encoded[i])))).ConfigureAwait(false);
        for (var n = 0; n < offload.Count; n++)
        {
            encoded[offload[n]] = JsonSerializer.SerializeToUtf8Bytes(new JsonObject { ["$blob"] = names[n] });
        }
    }

    private static TableEntity EventRow(string instanceId, string rowKey, List<byte[]> events)
    {
        var json = new byte[events.Sum(e => e.Length + 1) + 1];
        json[0] = (byte)'[';
        var position = 1;
        foreach (var e in events)
        {
            e.CopyTo(json, position);
            position += e.Length;
            json[position++] = (byte)',';
        }

        json[^1] = (byte)']';
        var row = new TableEntity(instanceId, rowKey) { ["Count"] = events.Count };
        var chunk = 0;
        for (var offset = 0; offset < json.Length; offset += ChunkBytes, chunk++)
        {
            row[$"D{chunk:D2}"] = json.AsSpan(offset, Math.Min(ChunkBytes, json.Length - offset)).ToArray();
        }

        return row;
    }

    private async Task<List<HistoryEvent>> ReadEventsAsync(TableEntity row)
    {
        using var json = new MemoryStream();
        for (var chunk = 0; row.TryGetValue($"D{chunk:D2}", out var value) && value is byte[] bytes; chunk++)
        {
            json.Write(bytes);
        }

        var elements = JsonNode.Parse(json.ToArray())!.AsArray();
        var events = await Task.WhenAll(elements.Select(async element =>
            element is JsonObject reference && reference.TryGetPropertyValue("$blob", out var blob)
                ? (await payloads.DownloadAsync(blob!.GetValue<string>()).ConfigureAwait(false)).ToObjectFromJson<HistoryEvent>(StorageJson.Options)!
                : element.Deserialize<HistoryEvent>(StorageJson.Options)!)).ConfigureAwait(false);
        return [.. events];
    }

    private async Task WriteLargeStringAsync(TableEntity row, string instanceId, string property, string? value)
    {
        if (value is not null && value.Length > LargeValues.MaxInlineChars)
        {
            row[property + "Blob"] = await payloads.UploadAsync(instanceId, BinaryData.FromString(value)).ConfigureAwait(false);
        }
        else
        {
            row[property] = value;
        }
    }

    private async Task<string?> ReadLargeStringAsync(TableEntity row, string property) =>
        row.GetString(property + "Blob") is { } blob
            ? (await payloads.DownloadAsync(blob).ConfigureAwait(false)).ToString()
            : row.GetString(property);
}
