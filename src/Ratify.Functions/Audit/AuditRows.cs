using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Ratify.Functions.Storage;

namespace Ratify.Functions.Audit;

/// <summary>
/// How chains sit in the <c>Audit</c> table: partition = the scope with <c>/</c> as <c>|</c>; row <c>head</c> holds the last
/// sequence and hash (the ETag every append is guarded by), <c>r{sequence}</c> the records, <c>c{sequence}</c> the signed
/// checkpoints, <c>i{hash of record id}</c> the idempotency markers.
/// </summary>
internal static class AuditRows
{
    public const string TableName = "Audit";
    public const string HeadRowKey = "head";

    public static string Partition(string scope) => scope.Replace('/', '|');

    public static string ScopeOf(string partition) => partition.Replace('|', '/');

    /// <summary>The partitions of every chain of <paramref name="tenantId"/> lie in [TenantFrom, TenantTo).</summary>
    public static string TenantFrom(string tenantId) => tenantId + "|";

    public static string TenantTo(string tenantId) => tenantId + "}"; // '}' follows '|'

    public static string RecordKey(long sequence) => "r" + sequence.ToString("D12", CultureInfo.InvariantCulture);

    public static string CheckpointKey(long sequence) => "c" + sequence.ToString("D12", CultureInfo.InvariantCulture);

    /// <summary>Record ids may hold any character; row keys may not, so the marker is keyed by the id's hash.</summary>
    public static string MarkerKey(string recordId) => "i" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(recordId)))[..40];

    public static async Task<TableEntity> ToRowAsync(AuditRecord record, AppBlobs blobs, CancellationToken cancellationToken)
    {
        var row = new TableEntity(Partition(record.Scope), RecordKey(record.Sequence))
        {
            ["Sequence"] = record.Sequence,
            ["Time"] = record.Time,
            ["At"] = DateTimeOffset.Parse(record.Time, CultureInfo.InvariantCulture),
            ["Type"] = record.Type,
            ["ActorKind"] = record.Actor.Kind,
            ["ActorId"] = record.Actor.Id,
            ["PreviousHash"] = record.PreviousHash,
            ["Hash"] = record.Hash,
        };
        var blobName = $"audit/{row.PartitionKey}/{record.Sequence}-{Guid.NewGuid():N}.json";
        await LargeText.WriteAsync(row, "Data", record.Data?.ToJsonString(), blobs, blobName, cancellationToken).ConfigureAwait(false);
        return row;
    }

    public static async Task<AuditRecord> FromRowAsync(TableEntity row, AppBlobs blobs, CancellationToken cancellationToken)
    {
        var data = await LargeText.ReadAsync(row, "Data", blobs, cancellationToken).ConfigureAwait(false);
        return new AuditRecord(
            ScopeOf(row.PartitionKey),
            row.GetInt64("Sequence") ?? 0,
            row.GetString("Time") ?? string.Empty,
            row.GetString("Type") ?? string.Empty,
            new AuditActor(row.GetString("ActorKind") ?? string.Empty, row.GetString("ActorId")),
            data is null ? null : JsonNode.Parse(data),
            row.GetString("PreviousHash") ?? string.Empty,
            row.GetString("Hash") ?? string.Empty);
    }

    public static TableEntity ToRow(AuditCheckpoint checkpoint) => new(Partition(checkpoint.Scope), CheckpointKey(checkpoint.Sequence))
    {
        ["Sequence"] = checkpoint.Sequence,
        ["Hash"] = checkpoint.Hash,
        ["Time"] = checkpoint.Time,
        ["KeyId"] = checkpoint.KeyId,
        ["Signature"] = checkpoint.Signature,
    };

    public static AuditCheckpoint CheckpointFromRow(TableEntity row) => new(
        ScopeOf(row.PartitionKey),
        row.GetInt64("Sequence") ?? 0,
        row.GetString("Hash") ?? string.Empty,
        row.GetString("Time") ?? string.Empty,
        row.GetString("KeyId") ?? string.Empty,
        row.GetString("Signature") ?? string.Empty);

    public static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
}
