using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Ratify.Functions.Audit;
using Ratify.Functions.Storage;

namespace Ratify.Functions.Runs;

/// <summary>
/// Every step attempt's output and artifacts, kept apart per attempt and execution (table StepAttemptResults, partitioned by
/// run id, beside the attempts' execution counts): rows are only ever added, so a retry, a re-execution or a replay leaves
/// earlier attempts' results as they were.
/// </summary>
/// <remarks>
/// <see cref="StepResultStore"/> keeps the step's current result (what the run view and templates read); this store keeps
/// the history the audit export lists. An execution's rows are written in entity-group transactions before its current
/// result is replaced, so a result that is current was always recorded here first.
/// </remarks>
public sealed class StepAttemptResultStore(AppTables tables, AppBlobs blobs, TimeProvider time)
{
    /// <summary>The table's name (the task hub's prefix is added by <see cref="AppTables"/>).</summary>
    public const string TableName = "StepAttemptResults";

    private const int MaxInlineBytes = 48_000; // a binary property holds at most 64 KiB
    private static readonly string[] ListColumns =
        ["RowKey", "StepId", "Attempt", "Execution", "ScheduledAt", "RecordedAt", "OutputSha256", "Name", "Type", "MediaType", "Size", "Sha256"];

    /// <summary>Records what one execution of an attempt produced; returns the artifacts' descriptions in the given order.</summary>
    public async Task<IReadOnlyList<ArtifactInfo>> RecordAsync(
        StepAttemptKey key, DateTimeOffset? scheduledAt, JsonNode? output, IReadOnlyList<AttemptArtifact> artifacts, CancellationToken cancellationToken = default)
    {
        var rows = new List<TableEntity>(artifacts?.Count + 1 ?? 1);
        var infos = await RowsAsync(rows, key, scheduledAt, output, artifacts!, cancellationToken).ConfigureAwait(false);
        await AddAllAsync(rows, cancellationToken).ConfigureAwait(false);
        return infos;
    }

    /// <summary>
    /// Records what the first execution of an attempt produced and counts that execution (<see cref="StepAttemptStore"/>) in
    /// the same transaction; false, with nothing written, when the attempt was executed before (count it and record again).
    /// </summary>
    /// <remarks>Only for steps whose execution has no effect outside the activity: a count is otherwise written before the step acts.</remarks>
    public async Task<bool> RecordFirstExecutionAsync(
        StepAttemptKey key, DateTimeOffset scheduledAt, JsonNode? output, IReadOnlyList<AttemptArtifact> artifacts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        var rows = new List<TableEntity>((artifacts?.Count ?? 0) + 2)
        {
            StepAttemptStore.FirstExecutionRow(key.RunId, key.StepId, key.Attempt, scheduledAt, time.GetUtcNow()),
        };
        await RowsAsync(rows, key with { Execution = 1 }, scheduledAt, output, artifacts!, cancellationToken).ConfigureAwait(false);
        try
        {
            await AddAllAsync(rows, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (TableTransactionFailedException e) when (StorageErrors.IsConflict(e) && e.FailedTransactionActionIndex is null or 0)
        {
            // The count row is first in the first transaction: it exists, so an execution before this one recorded its results.
            return false;
        }
    }

    private async Task<IReadOnlyList<ArtifactInfo>> RowsAsync(
        List<TableEntity> rows, StepAttemptKey key, DateTimeOffset? scheduledAt, JsonNode? output, IReadOnlyList<AttemptArtifact> artifacts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(artifacts);
        var now = time.GetUtcNow();
        var outputRow = new TableEntity(key.RunId, key.RowKey + "|output")
        {
            ["StepId"] = key.StepId,
            ["Attempt"] = key.Attempt,
            ["Execution"] = key.Execution,
            ["ScheduledAt"] = scheduledAt,
            ["RecordedAt"] = now,
            ["OutputSha256"] = JsonCanonicalizer.Sha256(output),
        };
        await LargeText.WriteAsync(outputRow, "Output", output?.ToJsonString() ?? "null", blobs, key.BlobFolder + "/output.json", cancellationToken).ConfigureAwait(false);
        rows.Add(outputRow);

        var infos = new List<ArtifactInfo>(artifacts.Count);
        foreach (var artifact in artifacts)
        {
            var info = new ArtifactInfo(key.StepId, artifact.Name, artifact.Type, ArtifactInfo.MediaTypeOf(artifact.Type), artifact.Content.Length,
                Convert.ToHexStringLower(SHA256.HashData(artifact.Content.Span)), now);
            infos.Add(info);
            var row = new TableEntity(key.RunId, key.RowKey + "|artifact|" + artifact.Name)
            {
                ["StepId"] = key.StepId,
                ["Attempt"] = key.Attempt,
                ["Execution"] = key.Execution,
                ["Name"] = info.Name,
                ["Type"] = info.Type,
                ["MediaType"] = info.MediaType,
                ["Size"] = info.Size,
                ["Sha256"] = info.Sha256,
                ["RecordedAt"] = now,
            };
            if (artifact.Content.Length > MaxInlineBytes)
            {
                row["Blob"] = await blobs.UploadAsync($"{key.BlobFolder}/artifacts/{artifact.Name}", BinaryData.FromBytes(artifact.Content), cancellationToken).ConfigureAwait(false);
            }
            else
            {
                row["Content"] = artifact.Content.ToArray();
            }

            rows.Add(row);
        }

        return infos;
    }

    /// <summary>Every recorded attempt of the run, by step, in the order the attempts were scheduled.</summary>
    public async Task<IReadOnlyList<StepAttemptResult>> ListAsync(string runId, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName, cancellationToken).ConfigureAwait(false);
        var results = new List<StepAttemptResult>();
        var artifacts = new Dictionary<string, List<ArtifactInfo>>(StringComparer.Ordinal);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {runId}");
        await foreach (var row in table.QueryAsync<TableEntity>(filter, select: ListColumns, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (row.RowKey.EndsWith(StepAttemptStore.Suffix, StringComparison.Ordinal))
            {
                continue; // an attempt's execution count
            }

            var prefix = row.RowKey[..row.RowKey.IndexOf('|', StringComparison.Ordinal)];
            if (!artifacts.TryGetValue(prefix, out var list))
            {
                artifacts[prefix] = list = [];
            }

            if (row.RowKey[prefix.Length..] == "|output")
            {
                results.Add(new StepAttemptResult(row.GetString("StepId") ?? string.Empty, row.GetInt32("Attempt") ?? 0, row.GetInt32("Execution") ?? 0,
                    row.GetDateTimeOffset("ScheduledAt"), row.GetDateTimeOffset("RecordedAt") ?? DateTimeOffset.MinValue, row.GetString("OutputSha256") ?? string.Empty, list));
            }
            else
            {
                // An execution's artifact rows ("|artifact|…") sort before its output row; they share one list.
                list.Add(new ArtifactInfo(row.GetString("StepId") ?? string.Empty, row.GetString("Name") ?? string.Empty, row.GetString("Type") ?? string.Empty,
                    row.GetString("MediaType") ?? "application/octet-stream", row.GetInt64("Size") ?? 0, row.GetString("Sha256") ?? string.Empty,
                    row.GetDateTimeOffset("RecordedAt") ?? DateTimeOffset.MinValue));
            }
        }

        return results;
    }

    private async Task AddAllAsync(List<TableEntity> rows, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(TableName, cancellationToken).ConfigureAwait(false);
        var batch = new List<TableTransactionAction>();
        long bytes = 0;
        foreach (var row in rows)
        {
            var size = TableTransactionLimits.OperationBytes(row, measure: true);
            if (batch.Count == TableTransactionLimits.MaxActions || (batch.Count > 0 && bytes + size > TableTransactionLimits.MaxBodyBytes))
            {
                await table.SubmitTransactionAsync(batch, cancellationToken).ConfigureAwait(false);
                batch = [];
                bytes = 0;
            }

            batch.Add(new TableTransactionAction(TableTransactionActionType.Add, row));
            bytes += size;
        }

        await table.SubmitTransactionAsync(batch, cancellationToken).ConfigureAwait(false);
    }
}
