using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using Ratify.Functions.Storage;

namespace Ratify.Functions.Audit;

/// <summary>Appends audit records to hash chains and signs their heads: the one way anything writes to the audit trail.</summary>
/// <remarks>
/// An append is one entity-group transaction: the record, the chain head (replaced under its ETag, or added for the first
/// record), the idempotency marker of the record id, and a signed checkpoint every <see cref="AuditOptions.CheckpointEvery"/>
/// records or by the first record <see cref="AuditOptions.CheckpointInterval"/> after the last checkpoint. Two writers that read the same head cannot both commit, so a chain never forks; the loser reads the new head
/// and tries again. A record id makes an append idempotent: an activity that runs twice records once. The head this host wrote
/// last is remembered, so that an append to a chain only this host is writing is one round trip; a stale head fails its ETag
/// check and is read again. Appends to one chain from this host take turns, so that a run's parallel steps do not race for
/// its head.
/// </remarks>
public sealed class AuditTrail(AppTables tables, AppBlobs blobs, AuditSigner signer, IOptions<AuditOptions> options, TimeProvider time)
{
    private const int MaxAttempts = 100;
    private const string SealedProperty = "Sealed";
    private const string CheckpointedAtProperty = "CheckpointedAt";
    private const int MaxCachedHeads = 10_000;
    private const int Gates = 256;
    private readonly ConcurrentDictionary<string, Head> _heads = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim[] _gates = [.. Enumerable.Range(0, Gates).Select(_ => new SemaphoreSlim(1, 1))];

    /// <summary>Appends a record to <paramref name="scope"/> (see <see cref="AuditScopes"/>) and returns it.</summary>
    /// <param name="recordId">
    /// Optional idempotency id, unique within the scope (e.g. <c>step/fetch/2/completed</c>): when a record with this id is
    /// already in the chain, that record is returned and nothing is appended.
    /// </param>
    public async Task<AuditRecord> AppendAsync(string scope, string type, AuditActor actor, JsonNode? data, string? recordId = null, CancellationToken cancellationToken = default) =>
        (await AppendInTurnAsync(scope, type, actor, data, recordId, AppendMode.Append, cancellationToken).ConfigureAwait(false)).Record;

    /// <summary>
    /// Appends the first record of a chain that should not exist yet (a new run's start) without reading its head first;
    /// when the chain exists after all, the record goes after its head as with <see cref="AppendAsync"/>.
    /// </summary>
    public async Task<AuditRecord> StartChainAsync(string scope, string type, AuditActor actor, JsonNode? data, string? recordId = null, CancellationToken cancellationToken = default) =>
        (await AppendInTurnAsync(scope, type, actor, data, recordId, AppendMode.NewChain, cancellationToken).ConfigureAwait(false)).Record;

    /// <summary>
    /// Appends the chain's last record and seals the chain in the same transaction (the record signed, the head marked
    /// sealed): what <see cref="AppendAsync"/> then <see cref="SealAsync"/> do in two. When the record is already in the
    /// chain (a repeated call, whose first run may have stopped before sealing), the chain is sealed on its own.
    /// </summary>
    public async Task<AuditRecord> AppendAndSealAsync(string scope, string type, AuditActor actor, JsonNode? data, string recordId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(recordId);
        var (record, written) = await AppendInTurnAsync(scope, type, actor, data, recordId, AppendMode.Seal, cancellationToken).ConfigureAwait(false);
        if (!written)
        {
            await SealAsync(scope, cancellationToken).ConfigureAwait(false);
        }

        return record;
    }

    private async Task<(AuditRecord Record, bool Written)> AppendInTurnAsync(
        string scope, string type, AuditActor actor, JsonNode? data, string? recordId, AppendMode mode, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(scope);
        ArgumentException.ThrowIfNullOrEmpty(type);
        ArgumentNullException.ThrowIfNull(actor);
        var partition = AuditRows.Partition(scope);

        // Appends to one chain from this host take turns (a run's parallel steps): racing would only make all but one fail
        // their ETag check and read the head again.
        var gate = _gates[(int)((uint)StringComparer.Ordinal.GetHashCode(partition) % (uint)_gates.Length)];
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await AppendCoreAsync(scope, partition, type, actor, data, recordId, mode, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<(AuditRecord Record, bool Written)> AppendCoreAsync(
        string scope, string partition, string type, AuditActor actor, JsonNode? data, string? recordId, AppendMode mode, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync(AuditRows.TableName, cancellationToken).ConfigureAwait(false);
        for (var attempt = 1; ; attempt++)
        {
            // The head this host wrote last saves a read, and so does a chain its caller knows to be new; a stale head fails
            // the ETag check (a chain that exists fails the head's Add) and is read again.
            Head? known = null;
            var skipRead = attempt == 1 && (mode == AppendMode.NewChain || _heads.TryGetValue(partition, out known));
            var head = skipRead ? known : await ReadHeadAsync(table, partition, cancellationToken).ConfigureAwait(false);
            var sequence = head is null ? 1 : head.Sequence + 1;
            var previous = head?.Hash ?? AuditRecord.GenesisHash;
            var record = AuditRecord.Create(scope, sequence, AuditRows.FormatTime(time.GetUtcNow()), type, actor, data?.DeepClone(), previous);

            // A sealed chain (a finished run) stays sealed: a record that arrives after the seal (an abandoned attempt ending
            // late) is signed in the same write, so a verifier never sees an unsigned tail behind run.finished.
            var sealing = mode == AppendMode.Seal;
            var sealedChain = head?.Sealed == true || sealing;
            var now = time.GetUtcNow();
            var checkpointedAt = head?.CheckpointedAt ?? now;
            var checkpoint = sealedChain
                || (options.Value.CheckpointEvery > 0 && sequence % options.Value.CheckpointEvery == 0)
                || (options.Value.CheckpointInterval > TimeSpan.Zero && now - checkpointedAt >= options.Value.CheckpointInterval);
            var newHead = new TableEntity(partition, AuditRows.HeadRowKey)
            {
                ["Sequence"] = sequence,
                ["Hash"] = record.Hash,
                [SealedProperty] = sealedChain,
                [CheckpointedAtProperty] = checkpoint ? now : checkpointedAt,
            };

            // The head first and the marker second: the index of a failed action says which of the two conflicted.
            var actions = new List<TableTransactionAction>
            {
                head is not null
                    ? new(TableTransactionActionType.UpdateReplace, newHead, head.ETag)
                    : new(TableTransactionActionType.Add, newHead),
            };
            if (recordId is not null)
            {
                actions.Add(new(TableTransactionActionType.Add, new TableEntity(partition, AuditRows.MarkerKey(recordId)) { ["Sequence"] = sequence }));
            }

            actions.Add(new(TableTransactionActionType.Add, await AuditRows.ToRowAsync(record, blobs, cancellationToken).ConfigureAwait(false)));
            if (checkpoint)
            {
                actions.Add(new(TableTransactionActionType.Add, AuditRows.ToRow(signer.Sign(scope, sequence, record.Hash, record.Time))));
            }

            try
            {
                var response = await table.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
                Remember(partition, response.Value.Count > 0 && response.Value[0].Headers.ETag is { } etag
                    ? new Head(sequence, record.Hash, sealedChain, checkpoint ? now : checkpointedAt, etag)
                    : null);
                return (record, true);
            }
            catch (TableTransactionFailedException e) when ((StorageErrors.IsConflict(e) || StorageErrors.IsNotFound(e)) && attempt < MaxAttempts)
            {
                // Another writer appended first (or the remembered head was stale, or the chain was purged), or this id is
                // already recorded (the Add of its marker failed), which is looked up only now so that an append costs no
                // extra read; a failed head says nothing about the marker, which the next try checks again.
                _heads.TryRemove(partition, out _);
                var headFailed = e.FailedTransactionActionIndex == 0;
                if (recordId is not null && !headFailed && await FindByIdAsync(table, partition, recordId, cancellationToken).ConfigureAwait(false) is { } existing)
                {
                    return (existing, false);
                }

                if (!skipRead)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 5 * Math.Min(attempt, 10))), time, cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    /// <summary>
    /// Signs the chain's current head (unless a checkpoint already covers it) and marks the chain sealed, so that every later
    /// record is signed as it is appended; returns the head's checkpoint (null for an empty chain).
    /// </summary>
    public async Task<AuditCheckpoint?> SealAsync(string scope, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(AuditRows.TableName, cancellationToken).ConfigureAwait(false);
        var partition = AuditRows.Partition(scope);
        for (var attempt = 1; ; attempt++)
        {
            var head = await table.GetEntityIfExistsAsync<TableEntity>(partition, AuditRows.HeadRowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (!head.HasValue)
            {
                return null;
            }

            var sequence = head.Value!.GetInt64("Sequence") ?? 0;
            var existing = await table.GetEntityIfExistsAsync<TableEntity>(partition, AuditRows.CheckpointKey(sequence), cancellationToken: cancellationToken).ConfigureAwait(false);
            if (existing.HasValue && head.Value!.GetBoolean(SealedProperty) == true)
            {
                return AuditRows.CheckpointFromRow(existing.Value!);
            }

            var checkpoint = existing.HasValue
                ? AuditRows.CheckpointFromRow(existing.Value!)
                : signer.Sign(scope, sequence, head.Value!.GetString("Hash") ?? string.Empty, AuditRows.FormatTime(time.GetUtcNow()));
            var actions = new List<TableTransactionAction>
            {
                new(TableTransactionActionType.UpdateMerge, new TableEntity(partition, AuditRows.HeadRowKey) { [SealedProperty] = true, [CheckpointedAtProperty] = time.GetUtcNow() }, head.Value!.ETag),
            };
            if (!existing.HasValue)
            {
                actions.Add(new(TableTransactionActionType.Add, AuditRows.ToRow(checkpoint)));
            }

            try
            {
                await table.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
                _heads.TryRemove(partition, out _);
                return checkpoint;
            }
            catch (TableTransactionFailedException e) when (StorageErrors.IsConflict(e) && attempt < MaxAttempts)
            {
                // A record was appended or the head sealed meanwhile: look again.
            }
        }
    }

    private static async Task<Head?> ReadHeadAsync(TableClient table, string partition, CancellationToken cancellationToken)
    {
        var row = await table.GetEntityIfExistsAsync<TableEntity>(partition, AuditRows.HeadRowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue
            ? new Head(row.Value!.GetInt64("Sequence") ?? 0, row.Value!.GetString("Hash") ?? string.Empty, row.Value!.GetBoolean(SealedProperty) == true,
                row.Value!.GetDateTimeOffset(CheckpointedAtProperty), row.Value!.ETag)
            : null;
    }

    private void Remember(string partition, Head? head)
    {
        if (head is null)
        {
            _heads.TryRemove(partition, out _);
            return;
        }

        if (_heads.Count >= MaxCachedHeads)
        {
            _heads.Clear(); // bounded: finished runs' chains are rarely appended to again
        }

        _heads[partition] = head;
    }

    private async Task<AuditRecord?> FindByIdAsync(TableClient table, string partition, string recordId, CancellationToken cancellationToken)
    {
        var marker = await table.GetEntityIfExistsAsync<TableEntity>(partition, AuditRows.MarkerKey(recordId), cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!marker.HasValue)
        {
            return null;
        }

        var row = await table.GetEntityAsync<TableEntity>(partition, AuditRows.RecordKey(marker.Value!.GetInt64("Sequence") ?? 0), cancellationToken: cancellationToken).ConfigureAwait(false);
        return await AuditRows.FromRowAsync(row.Value, blobs, cancellationToken).ConfigureAwait(false);
    }

    private enum AppendMode
    {
        Append,
        NewChain,
        Seal,
    }

    /// <summary>A chain head as this host last wrote or read it.</summary>
    private sealed record Head(long Sequence, string Hash, bool Sealed, DateTimeOffset? CheckpointedAt, ETag ETag);
}
