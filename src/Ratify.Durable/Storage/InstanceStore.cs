using System.Text.Json;
using Azure;
using Azure.Data.Tables;

namespace Ratify.Durable.Storage;

/// <summary>The Instances table: one row per instance (partition key = instance id) for status calls and queries.</summary>
internal sealed class InstanceStore(StorageAccount account, PayloadStore payloads)
{
    private static readonly string[] LargeProperties = ["Input", "Output", "CustomStatus"];

    public async Task<(InstanceRecord Record, ETag ETag)?> GetAsync(string instanceId, CancellationToken cancellationToken = default)
    {
        var response = await account.Instances.GetEntityIfExistsAsync<TableEntity>(instanceId, string.Empty, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!response.HasValue)
        {
            return null;
        }

        return (await ReadAsync(response.Value!).ConfigureAwait(false), response.Value!.ETag);
    }

    /// <summary>Inserts (no <paramref name="replacing"/>) or replaces the row; its new ETag, or null when another writer got there first.</summary>
    public async Task<ETag?> TryCreateAsync(InstanceRecord record, ETag? replacing)
    {
        var row = await ToEntityAsync(record).ConfigureAwait(false);
        try
        {
            var response = replacing is { } etag
                ? await account.Instances.UpdateEntityAsync(row, etag, TableUpdateMode.Replace).ConfigureAwait(false)
                : await account.Instances.AddEntityAsync(row).ConfigureAwait(false);
            return response.Headers.ETag ?? throw new InvalidOperationException("The Instances row was written without an ETag.");
        }
        catch (RequestFailedException e) when (StorageErrors.IsConflict(e))
        {
            return null;
        }
    }

    /// <summary>
    /// Writes the row a worker derived from history, unless the stored row already shows a newer revision: a host
    /// that lost the instance's partition and writes late can never set the row back.
    /// </summary>
    /// <param name="record">The row; its <see cref="InstanceRecord.Revision"/> decides between writers.</param>
    /// <param name="lastWritten">The ETag of this writer's previous write of the row, if any: it saves a read.</param>
    /// <returns>The row's ETag when written; null with the stored revision when the row already shows this revision or a newer one.</returns>
    public async Task<(ETag? ETag, long StoredRevision)> WriteIfNewerAsync(InstanceRecord record, ETag? lastWritten)
    {
        var row = await ToEntityAsync(record).ConfigureAwait(false);
        var expected = lastWritten;
        while (true)
        {
            if (expected is null)
            {
                var stored = await account.Instances.GetEntityIfExistsAsync<TableEntity>(record.InstanceId, string.Empty, select: ["Revision"]).ConfigureAwait(false);
                if (!stored.HasValue)
                {
                    try
                    {
                        var added = await account.Instances.AddEntityAsync(row).ConfigureAwait(false);
                        return (added.Headers.ETag, record.Revision);
                    }
                    catch (RequestFailedException e) when (StorageErrors.IsConflict(e))
                    {
                        continue; // created meanwhile: compare with that
                    }
                }

                // An equal revision is the same committed state: nothing to write.
                if ((stored.Value!.GetInt64("Revision") ?? 0) is var storedRevision && storedRevision >= record.Revision && record.Revision > 0)
                {
                    return (null, storedRevision);
                }

                expected = stored.Value.ETag;
            }

            try
            {
                var updated = await account.Instances.UpdateEntityAsync(row, expected.Value, TableUpdateMode.Replace).ConfigureAwait(false);
                return (updated.Headers.ETag, record.Revision);
            }
            catch (RequestFailedException e) when (StorageErrors.IsConflict(e) || StorageErrors.IsNotFound(e))
            {
                expected = null; // someone else wrote (or purged) it: look at what is there now
            }
        }
    }

    public async Task DeleteAsync(string instanceId)
    {
        try
        {
            await account.Instances.DeleteEntityAsync(instanceId, string.Empty, ETag.All).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (StorageErrors.IsNotFound(e))
        {
            // Already gone.
        }
    }

    public async Task<(IReadOnlyList<InstanceRecord> Records, string? ContinuationToken)> QueryAsync(
        string? filter, int pageSize, string? continuationToken, CancellationToken cancellationToken)
    {
        var pages = account.Instances.QueryAsync<TableEntity>(filter, pageSize, cancellationToken: cancellationToken)
            .AsPages(continuationToken, pageSize);
        await foreach (var page in pages.ConfigureAwait(false))
        {
            var records = new List<InstanceRecord>();
            foreach (var row in page.Values)
            {
                records.Add(await ReadAsync(row).ConfigureAwait(false));
            }

            return (records, page.ContinuationToken);
        }

        return ([], null);
    }

    private async Task<TableEntity> ToEntityAsync(InstanceRecord record)
    {
        var row = new TableEntity(record.InstanceId, string.Empty)
        {
            ["Name"] = record.Name,
            ["ExecutionId"] = record.ExecutionId,
            ["RuntimeStatus"] = record.Status.ToString(),
            ["CreatedTime"] = record.CreatedTime,
            ["LastUpdatedTime"] = record.LastUpdatedTime,
            ["CompletedTime"] = record.CompletedTime,
            ["FailureDetails"] = record.FailureDetails is null ? null : JsonSerializer.Serialize(record.FailureDetails, StorageJson.Options),
            ["Partition"] = record.Partition,
            ["Revision"] = record.Revision,
        };
        string?[] values = [record.Input, record.Output, record.CustomStatus];
        for (var i = 0; i < LargeProperties.Length; i++)
        {
            if (values[i] is { Length: > LargeValues.MaxInlineChars } large)
            {
                row[LargeProperties[i] + "Blob"] = await payloads.UploadAsync(record.InstanceId, BinaryData.FromString(large)).ConfigureAwait(false);
            }
            else
            {
                row[LargeProperties[i]] = values[i];
            }
        }

        return row;
    }

    private async Task<InstanceRecord> ReadAsync(TableEntity row)
    {
        var large = new string?[LargeProperties.Length];
        for (var i = 0; i < LargeProperties.Length; i++)
        {
            large[i] = row.GetString(LargeProperties[i] + "Blob") is { } blob
                ? (await payloads.DownloadAsync(blob).ConfigureAwait(false)).ToString()
                : row.GetString(LargeProperties[i]);
        }

        var failure = row.GetString("FailureDetails");
        return new InstanceRecord(
            row.PartitionKey,
            row.GetString("Name") ?? string.Empty,
            row.GetString("ExecutionId") ?? string.Empty,
            Enum.Parse<OrchestrationRuntimeStatus>(row.GetString("RuntimeStatus") ?? nameof(OrchestrationRuntimeStatus.Pending)),
            row.GetDateTime("CreatedTime") ?? DateTime.MinValue,
            row.GetDateTime("LastUpdatedTime") ?? DateTime.MinValue,
            row.GetDateTime("CompletedTime"),
            large[0],
            large[1],
            large[2],
            failure is null ? null : JsonSerializer.Deserialize<TaskFailureDetails>(failure, StorageJson.Options),
            row.GetInt32("Partition") ?? 0,
            row.GetInt64("Revision") ?? 0);
    }
}
