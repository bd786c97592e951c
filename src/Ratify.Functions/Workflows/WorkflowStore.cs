using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Ratify.Functions.Storage;

namespace Ratify.Functions.Workflows;

/// <summary>Versioned workflow definitions per tenant in the <c>Workflows</c> table.</summary>
/// <remarks>
/// Partition = tenant id. Row <c>{id}</c> is the head (latest version, archived flag, name,
/// timestamps); rows <c>{id}:{version:D6}</c> hold each version's definition, split over
/// <c>Definition0…N</c> string properties of <see cref="ChunkLength"/> characters because a table
/// property holds at most 64 KB. A new version is written in one entity-group transaction with an
/// ETag check on the head, so two concurrent writers can never take the same version number.
/// </remarks>
public sealed class WorkflowStore(AppTables tables, TimeProvider? timeProvider = null)
{
    /// <summary>The table name under the hub.</summary>
    public const string TableName = "Workflows";
    private const int MaxCachedDefinitions = 1_024;
    private readonly ConcurrentDictionary<(string, string, int), (WorkflowDefinition Definition, DateTimeOffset CreatedAt)> _versions = new();

    /// <summary>Characters per definition property (UTF-16, so at most 60 KB of the 64 KB a property may hold).</summary>
    internal const int ChunkLength = 30_000;

    private const int MaxAttempts = 10;
    private const string HeadKind = "workflow";
    private const string VersionKind = "version";

    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    /// <summary>Stores the first version of a new workflow.</summary>
    /// <exception cref="WorkflowConflictException">The tenant already has a workflow with this id (archived or not).</exception>
    public async Task<StoredWorkflow> CreateAsync(string tenantId, WorkflowDefinition definition, CancellationToken cancellationToken = default)
    {
        CheckTenant(tenantId);
        ArgumentNullException.ThrowIfNull(definition);
        var table = await tables.GetAsync(TableName, cancellationToken).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        var head = new TableEntity(tenantId, definition.Id)
        {
            ["Kind"] = HeadKind,
            ["Name"] = definition.Name,
            ["Description"] = definition.Description,
            ["LatestVersion"] = 1,
            ["Archived"] = false,
            ["CreatedAt"] = now,
            ["UpdatedAt"] = now,
        };
        try
        {
            await table.SubmitTransactionAsync(
                [new TableTransactionAction(TableTransactionActionType.Add, head), new TableTransactionAction(TableTransactionActionType.Add, VersionRow(tenantId, definition, 1, now))],
                cancellationToken).ConfigureAwait(false);
        }
        catch (TableTransactionFailedException e) when (StorageErrors.IsAlreadyExists(e))
        {
            throw new WorkflowConflictException(definition.Id, $"Workflow '{definition.Id}' already exists.");
        }

        return new StoredWorkflow(definition, 1, now, Summary(head));
    }

    /// <summary>Stores a new version (latest + 1) of an existing workflow.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="definition">The new definition; its id names the workflow.</param>
    /// <param name="expectedVersion">When set, the write only succeeds if this is still the latest version (optimistic concurrency).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="WorkflowNotFoundException">No such workflow.</exception>
    /// <exception cref="WorkflowArchivedException">The workflow is archived.</exception>
    /// <exception cref="WorkflowConflictException">The latest version is not <paramref name="expectedVersion"/>, or writers kept colliding.</exception>
    public async Task<StoredWorkflow> AddVersionAsync(string tenantId, WorkflowDefinition definition, int? expectedVersion = null, CancellationToken cancellationToken = default)
    {
        CheckTenant(tenantId);
        ArgumentNullException.ThrowIfNull(definition);
        var table = await tables.GetAsync(TableName, cancellationToken).ConfigureAwait(false);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var head = await GetHeadAsync(table, tenantId, definition.Id, cancellationToken).ConfigureAwait(false);
            if (head.GetBoolean("Archived") == true)
            {
                throw new WorkflowArchivedException(definition.Id);
            }

            var latest = head.GetInt32("LatestVersion") ?? 0;
            if (expectedVersion is not null && expectedVersion != latest)
            {
                throw new WorkflowConflictException(definition.Id, $"Workflow '{definition.Id}' is at version {latest}, not {expectedVersion}.");
            }

            var now = _time.GetUtcNow();
            var version = latest + 1;
            head["LatestVersion"] = version;
            head["Name"] = definition.Name;
            head["Description"] = definition.Description;
            head["UpdatedAt"] = now;
            try
            {
                await table.SubmitTransactionAsync(
                    [new TableTransactionAction(TableTransactionActionType.UpdateReplace, head, head.ETag), new TableTransactionAction(TableTransactionActionType.Add, VersionRow(tenantId, definition, version, now))],
                    cancellationToken).ConfigureAwait(false);
                return new StoredWorkflow(definition, version, now, Summary(head));
            }
            catch (TableTransactionFailedException e) when (StorageErrors.IsConflict(e) && expectedVersion is null)
            {
                // Another writer took this version first: read the head again and take the next one.
            }
            catch (TableTransactionFailedException e) when (StorageErrors.IsConflict(e))
            {
                throw new WorkflowConflictException(definition.Id, $"Workflow '{definition.Id}' changed while version {version} was being written.");
            }
        }

        throw new WorkflowConflictException(definition.Id, $"Workflow '{definition.Id}' is being changed by too many writers at once; try again.");
    }

    /// <summary>Reads one version of a workflow, the latest when <paramref name="version"/> is null; archived workflows are returned too.</summary>
    /// <exception cref="WorkflowNotFoundException">No such workflow or version.</exception>
    public async Task<StoredWorkflow> GetAsync(string tenantId, string workflowId, int? version = null, CancellationToken cancellationToken = default)
    {
        CheckTenant(tenantId);
        ArgumentNullException.ThrowIfNull(workflowId);
        var table = await tables.GetAsync(TableName, cancellationToken).ConfigureAwait(false);
        var head = await GetHeadAsync(table, tenantId, workflowId, cancellationToken).ConfigureAwait(false);
        var wanted = version ?? head.GetInt32("LatestVersion") ?? 0;
        var known = await GetVersionAsync(table, tenantId, workflowId, wanted, version, cancellationToken).ConfigureAwait(false);
        return new StoredWorkflow(known.Definition, wanted, known.CreatedAt, Summary(head));
    }

    /// <summary>The definition of one pinned version; versions never change, so it is read from storage once per host.</summary>
    /// <exception cref="WorkflowNotFoundException">No such workflow or version.</exception>
    public async Task<WorkflowDefinition> GetDefinitionAsync(string tenantId, string workflowId, int version, CancellationToken cancellationToken = default)
    {
        if (_versions.TryGetValue((tenantId, workflowId, version), out var cached))
        {
            return cached.Definition;
        }

        return (await GetAsync(tenantId, workflowId, version, cancellationToken).ConfigureAwait(false)).Definition;
    }

    // A version row is written once and never changed or deleted (archiving keeps every version), so a parsed one is kept
    // (bounded) and every step of every run of it shares one definition object.
    private async Task<(WorkflowDefinition Definition, DateTimeOffset CreatedAt)> GetVersionAsync(
        TableClient table, string tenantId, string workflowId, int wanted, int? version, CancellationToken cancellationToken)
    {
        var key = (tenantId, workflowId, wanted);
        if (_versions.TryGetValue(key, out var cached))
        {
            return cached;
        }

        var row = await table.GetEntityIfExistsAsync<TableEntity>(tenantId, VersionKey(workflowId, wanted), cancellationToken: cancellationToken).ConfigureAwait(false);
        if (wanted < 1 || !row.HasValue || row.Value is not { } entity)
        {
            throw new WorkflowNotFoundException(workflowId, version);
        }

        var json = new StringBuilder();
        var chunks = entity.GetInt32("Chunks") ?? 0;
        for (var i = 0; i < chunks; i++)
        {
            json.Append(entity.GetString(ChunkName(i)));
        }

        var definition = JsonSerializer.Deserialize<WorkflowDefinition>(json.ToString(), WorkflowJson.Options)
            ?? throw new InvalidOperationException($"Workflow '{workflowId}' version {wanted} is stored empty.");
        var parsed = (definition, entity.GetDateTimeOffset("CreatedAt") ?? default);
        if (_versions.Count >= MaxCachedDefinitions)
        {
            _versions.Clear(); // bounded; versions in use are read again once
        }

        return _versions.GetOrAdd(key, parsed);
    }

    /// <summary>Lists a tenant's workflows in id order, a page at a time.</summary>
    /// <remarks>A page may hold fewer than <paramref name="limit"/> items (even none) while a continuation token remains.</remarks>
    public async Task<WorkflowPage> ListAsync(string tenantId, int limit = 50, string? continuationToken = null, bool includeArchived = false, CancellationToken cancellationToken = default)
    {
        CheckTenant(tenantId);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, 1000);
        var table = await tables.GetAsync(TableName, cancellationToken).ConfigureAwait(false);
        var filter = includeArchived
            ? TableClient.CreateQueryFilter($"PartitionKey eq {tenantId} and Kind eq {HeadKind}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {tenantId} and Kind eq {HeadKind} and Archived eq {false}");
        var pages = table.QueryAsync<TableEntity>(filter, limit, cancellationToken: cancellationToken).AsPages(continuationToken, limit);
        await foreach (var page in pages.ConfigureAwait(false))
        {
            return new WorkflowPage([.. page.Values.Select(Summary)], page.ContinuationToken);
        }

        return new WorkflowPage([], null);
    }

    /// <summary>Every tenant's workflows with their tenant id (for background work such as the cron scheduler's repair pass).</summary>
    public async Task<IReadOnlyList<(string TenantId, WorkflowSummary Workflow)>> ListAllAsync(CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName, cancellationToken).ConfigureAwait(false);
        var all = new List<(string, WorkflowSummary)>();
        var filter = TableClient.CreateQueryFilter($"Kind eq {HeadKind}");
        await foreach (var head in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            all.Add((head.PartitionKey, Summary(head)));
        }

        return all;
    }

    /// <summary>Archives a workflow: it keeps its versions for the runs that use them but takes no new version. Archiving twice is harmless.</summary>
    /// <exception cref="WorkflowNotFoundException">No such workflow.</exception>
    public async Task<WorkflowSummary> ArchiveAsync(string tenantId, string workflowId, CancellationToken cancellationToken = default)
    {
        CheckTenant(tenantId);
        ArgumentNullException.ThrowIfNull(workflowId);
        var table = await tables.GetAsync(TableName, cancellationToken).ConfigureAwait(false);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var head = await GetHeadAsync(table, tenantId, workflowId, cancellationToken).ConfigureAwait(false);
            if (head.GetBoolean("Archived") == true)
            {
                return Summary(head);
            }

            head["Archived"] = true;
            head["UpdatedAt"] = _time.GetUtcNow();
            try
            {
                await table.UpdateEntityAsync(head, head.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                return Summary(head);
            }
            catch (RequestFailedException e) when (StorageErrors.IsChanged(e))
            {
                // A new version landed meanwhile: archive the fresh head.
            }
        }

        throw new WorkflowConflictException(workflowId, $"Workflow '{workflowId}' is being changed by too many writers at once; try again.");
    }

    private static async Task<TableEntity> GetHeadAsync(TableClient table, string tenantId, string workflowId, CancellationToken cancellationToken)
    {
        var head = await table.GetEntityIfExistsAsync<TableEntity>(tenantId, workflowId, cancellationToken: cancellationToken).ConfigureAwait(false);
        return head.HasValue && head.Value is { } entity && entity.GetString("Kind") == HeadKind
            ? entity
            : throw new WorkflowNotFoundException(workflowId);
    }

    private static TableEntity VersionRow(string tenantId, WorkflowDefinition definition, int version, DateTimeOffset now)
    {
        var json = JsonSerializer.Serialize(definition, WorkflowJson.Options);
        var row = new TableEntity(tenantId, VersionKey(definition.Id, version))
        {
            ["Kind"] = VersionKind,
            ["WorkflowId"] = definition.Id,
            ["Version"] = version,
            ["CreatedAt"] = now,
            ["Chunks"] = (json.Length + ChunkLength - 1) / ChunkLength,
        };
        for (var i = 0; i * ChunkLength < json.Length; i++)
        {
            row[ChunkName(i)] = json.Substring(i * ChunkLength, Math.Min(ChunkLength, json.Length - (i * ChunkLength)));
        }

        return row;
    }

    private static WorkflowSummary Summary(TableEntity head) => new(
        head.RowKey,
        head.GetString("Name") ?? head.RowKey,
        head.GetString("Description"),
        head.GetInt32("LatestVersion") ?? 0,
        head.GetBoolean("Archived") ?? false,
        head.GetDateTimeOffset("CreatedAt") ?? default,
        head.GetDateTimeOffset("UpdatedAt") ?? default);

    private static string VersionKey(string workflowId, int version) =>
        workflowId + ":" + version.ToString("D6", CultureInfo.InvariantCulture);

    private static string ChunkName(int index) => "Definition" + index.ToString(CultureInfo.InvariantCulture);

    private static void CheckTenant(string tenantId)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantId);
        if (tenantId.IndexOfAny(['/', '\\', '#', '?']) >= 0 || tenantId.Any(char.IsControl))
        {
            throw new ArgumentException("A tenant id cannot hold /, \\, #, ? or control characters (it is a table partition key).", nameof(tenantId));
        }
    }
}
