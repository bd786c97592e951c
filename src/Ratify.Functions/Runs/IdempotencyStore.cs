using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Ratify.Functions.Storage;

namespace Ratify.Functions.Runs;

/// <summary>The IdempotencyKeys table: partition = tenant, row = SHA-256 of the key (any text is a safe row key that way).</summary>
/// <remarks>A key is claimed with an insert, which fails when the key exists, so that one of two concurrent requests wins.</remarks>
public sealed class IdempotencyStore(AppTables tables)
{
    private const string TableName = "IdempotencyKeys";

    /// <summary>The longest key accepted (as for most payment APIs).</summary>
    public const int MaxKeyLength = 255;

    /// <summary>Whether <paramref name="key"/> is 1 to 255 printable ASCII characters.</summary>
    public static bool IsValidKey(string? key) =>
        key is { Length: > 0 and <= MaxKeyLength } && key.All(c => c is >= ' ' and <= '~');

    public async Task<IdempotencyEntry?> FindAsync(string tenantId, string key, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName, cancellationToken).ConfigureAwait(false);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(tenantId, RowKey(key), cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue && row.Value is { } entity
            ? new IdempotencyEntry(
                entity.GetString("RequestHash") ?? string.Empty,
                entity.GetString("RunId") ?? string.Empty,
                entity.GetDateTimeOffset("CreatedAt") ?? DateTimeOffset.MinValue,
                entity.ETag.ToString())
            : null;
    }

    /// <summary>Claims <paramref name="key"/> for a request and its reserved run; false when the key is already taken.</summary>
    public async Task<bool> TryAddAsync(string tenantId, string key, string requestHash, string runId, DateTimeOffset createdAt, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName, cancellationToken).ConfigureAwait(false);
        var row = new TableEntity(tenantId, RowKey(key))
        {
            // The key itself, for whoever reads the table: the row key is only its hash.
            ["Key"] = key,
            ["RequestHash"] = requestHash,
            ["RunId"] = runId,
            ["CreatedAt"] = createdAt,
        };
        try
        {
            await table.AddEntityAsync(row, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException e) when (StorageErrors.IsAlreadyExists(e))
        {
            return false;
        }
    }

    /// <summary>Frees <paramref name="key"/> if it still holds <paramref name="entry"/> (a failed start, or an expired or abandoned claim).</summary>
    public async Task RemoveAsync(string tenantId, string key, IdempotencyEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var table = await tables.GetAsync(TableName, cancellationToken).ConfigureAwait(false);
        try
        {
            await table.DeleteEntityAsync(tenantId, RowKey(key), new ETag(entry.Version), cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (StorageErrors.IsGoneOrChanged(e))
        {
            // Already gone, or claimed again meanwhile: either way not ours to remove.
        }
    }

    /// <summary>How many keys of the tenant were claimed for <paramref name="runId"/>.</summary>
    public async Task<int> CountForRunAsync(string tenantId, string runId, CancellationToken cancellationToken = default) =>
        await PartitionRows.CountAsync(await tables.GetAsync(TableName, cancellationToken).ConfigureAwait(false), tenantId, cancellationToken, ForRun(runId))
            .ConfigureAwait(false);

    /// <summary>Deletes the keys claimed for <paramref name="runId"/> (a purge); deleting them again finds none.</summary>
    public async Task DeleteForRunAsync(string tenantId, string runId, CancellationToken cancellationToken = default) =>
        await PartitionRows.DeleteAsync(await tables.GetAsync(TableName, cancellationToken).ConfigureAwait(false), tenantId, cancellationToken, ForRun(runId))
            .ConfigureAwait(false);

    private static string ForRun(string runId) => TableClient.CreateQueryFilter($"RunId eq {runId}");

    private static string RowKey(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
