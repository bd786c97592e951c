using System.Security.Cryptography;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Ratify.Functions.Storage;

namespace Ratify.Functions.Security;

/// <summary>API keys in the hub's <c>Keys</c> table, stored only as SHA-256 hashes.</summary>
/// <remarks>
/// Each key has two rows: one in partition <c>{hash}</c> (the authoritative record, read by authentication in one point
/// read) and one in partition <c>tenant:{tenantId}</c> with row key <c>{keyId}</c> (listing and revoking by id; it
/// carries the hash so that revoking can reach the first row). Lookups are cached for
/// <see cref="ApiKeyOptions.ApiKeyCacheDuration"/>; revoking evicts the key from this host's cache at once.
/// </remarks>
public sealed class ApiKeyStore : IDisposable
{
    /// <summary>The table name under the hub (the table is <c>{hub}Keys</c>).</summary>
    public const string TableName = "Keys";

    private const string RecordRowKey = "key";
    private const string TenantPartitionPrefix = "tenant:";
    private const int MaxCachedLookups = 10_000;

    private readonly AppTables _tables;
    private readonly TimeProvider _time;
    private readonly TimeSpan _cacheDuration;
    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = MaxCachedLookups });

    /// <summary>Creates the store over the hub's tables.</summary>
    public ApiKeyStore(AppTables tables, TimeProvider time, IOptions<ApiKeyOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _tables = tables;
        _time = time;
        _cacheDuration = options.Value.ApiKeyCacheDuration;
    }

    /// <summary>Creates a key and returns it with its secret, which is not kept anywhere and cannot be read again.</summary>
    public async Task<(ApiKey Key, string Secret)> CreateAsync(
        string tenantId, string name, IReadOnlyList<string> scopes, string createdBy, CancellationToken cancellationToken)
    {
        var secret = ApiKeySecret.Generate();
        var hash = ApiKeySecret.Hash(secret);
        var id = "key_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(10));
        var key = new ApiKey(id, tenantId, name, scopes, ApiKeySecret.DisplayPrefix(secret), _time.GetUtcNow(), createdBy, RevokedAt: null);

        var table = await GetTableAsync(cancellationToken).ConfigureAwait(false);

        // The tenant row goes first: a crash in between leaves a listed key that cannot authenticate,
        // never a working key that nobody can see or revoke.
        await table.AddEntityAsync(ToEntity(key, TenantPartition(tenantId), id, hash), cancellationToken).ConfigureAwait(false);
        await table.AddEntityAsync(ToEntity(key, hash, RecordRowKey, hash: null), cancellationToken).ConfigureAwait(false);
        return (key, secret);
    }

    /// <summary>The key whose secret hashes to <paramref name="hash"/> (revoked or not), or null; cached briefly.</summary>
    public async Task<ApiKey?> FindByHashAsync(string hash, CancellationToken cancellationToken)
    {
        if (_cache.TryGetValue(hash, out CachedLookup? cached) && cached is not null)
        {
            return cached.Key;
        }

        var table = await GetTableAsync(cancellationToken).ConfigureAwait(false);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(hash, RecordRowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
        var key = row.HasValue ? FromEntity(row.Value!) : null;

        // Unknown keys are remembered too, so that a flood of made-up keys does not become a flood of storage reads.
        if (_cacheDuration > TimeSpan.Zero)
        {
            _cache.Set(hash, new CachedLookup(key), new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = _cacheDuration });
        }

        return key;
    }

    /// <summary>The keys of a tenant, revoked ones included, newest first.</summary>
    public async Task<IReadOnlyList<ApiKey>> ListAsync(string tenantId, CancellationToken cancellationToken)
    {
        var table = await GetTableAsync(cancellationToken).ConfigureAwait(false);
        var keys = new List<ApiKey>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {TenantPartition(tenantId)}");
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            keys.Add(FromEntity(row));
        }

        return [.. keys.OrderByDescending(k => k.CreatedAt).ThenBy(k => k.Id, StringComparer.Ordinal)];
    }

    /// <summary>The key <paramref name="id"/> of the tenant, or null when the tenant has no such key.</summary>
    public async Task<ApiKey?> GetAsync(string tenantId, string id, CancellationToken cancellationToken)
    {
        var row = await GetTenantRowAsync(tenantId, id, cancellationToken).ConfigureAwait(false);
        return row is null ? null : FromEntity(row);
    }

    /// <summary>Revokes the key (idempotent) and returns it, or null when the tenant has no such key.</summary>
    public async Task<ApiKey?> RevokeAsync(string tenantId, string id, CancellationToken cancellationToken)
    {
        var row = await GetTenantRowAsync(tenantId, id, cancellationToken).ConfigureAwait(false);
        if (row is null)
        {
            return null;
        }

        var hash = row.GetString("Hash");
        var revokedAt = row.GetDateTimeOffset("RevokedAt") ?? _time.GetUtcNow();
        var table = await GetTableAsync(cancellationToken).ConfigureAwait(false);

        // The authoritative record first, so that the key stops working even if the second write never happens;
        // revoking again repairs the listing.
        try
        {
            await table.UpdateEntityAsync(new TableEntity(hash, RecordRowKey) { ["RevokedAt"] = revokedAt }, ETag.All, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (StorageErrors.IsNotFound(e))
        {
            // The key's creation stopped before its record was written: it never authenticated, so there is nothing to revoke.
        }

        await table.UpdateEntityAsync(new TableEntity(row.PartitionKey, row.RowKey) { ["RevokedAt"] = revokedAt }, ETag.All, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
        _cache.Remove(hash);
        return FromEntity(row) with { RevokedAt = revokedAt };
    }

    /// <inheritdoc />
    public void Dispose() => _cache.Dispose();

    // AppTables remembers the first attempt to create the table, so one caller's cancellation must not cut it short.
    private Task<TableClient> GetTableAsync(CancellationToken cancellationToken) => _tables.GetAsync(TableName, cancellationToken);

    private async Task<TableEntity?> GetTenantRowAsync(string tenantId, string id, CancellationToken cancellationToken)
    {
        // Ids come from URLs: anything that is not an id we issued cannot name a row.
        if (!Tenants.IsValidId(tenantId) || !IsKeyId(id))
        {
            return null;
        }

        var table = await GetTableAsync(cancellationToken).ConfigureAwait(false);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(TenantPartition(tenantId), id, cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue ? row.Value : null;
    }

    private static bool IsKeyId(string id) =>
        id.StartsWith("key_", StringComparison.Ordinal) && id.Length is > 4 and <= 64 && !id.AsSpan(4).ContainsAnyExcept("0123456789abcdef");

    private static string TenantPartition(string tenantId) => TenantPartitionPrefix + tenantId;

    private static TableEntity ToEntity(ApiKey key, string partitionKey, string rowKey, string? hash)
    {
        var entity = new TableEntity(partitionKey, rowKey)
        {
            ["Id"] = key.Id,
            ["TenantId"] = key.TenantId,
            ["Name"] = key.Name,
            ["Scopes"] = string.Join(' ', key.Scopes),
            ["DisplayPrefix"] = key.DisplayPrefix,
            ["CreatedAt"] = key.CreatedAt,
            ["CreatedBy"] = key.CreatedBy,
        };
        if (hash is not null)
        {
            entity["Hash"] = hash;
        }

        return entity;
    }

    private static ApiKey FromEntity(TableEntity entity) => new(
        entity.GetString("Id"),
        entity.GetString("TenantId"),
        entity.GetString("Name"),
        entity.GetString("Scopes").Split(' ', StringSplitOptions.RemoveEmptyEntries),
        entity.GetString("DisplayPrefix"),
        entity.GetDateTimeOffset("CreatedAt") ?? DateTimeOffset.MinValue,
        entity.GetString("CreatedBy"),
        entity.GetDateTimeOffset("RevokedAt"));

    private sealed record CachedLookup(ApiKey? Key);
}
