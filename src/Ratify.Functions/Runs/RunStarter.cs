using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Ratify.Functions.Storage;

namespace Ratify.Functions.Runs;

/// <summary>Starts runs for <c>POST /v1/runs</c>, honouring an Idempotency-Key: one key and one body give one run.</summary>
/// <remarks>
/// The key is claimed (an insert that fails on a race) after the request is validated and before the run is written, so
/// that of two concurrent requests with one key only one starts a run; the other waits for that run and returns it. A key
/// whose request failed validation is never stored, and a key whose run could not be written is freed again. A start cut
/// short by a storage outage or a dead host keeps its claim and reserved run id; a retry with the key finishes that start
/// (row, then orchestration), so that the key gives one complete run.
/// </remarks>
public sealed class RunStarter(RunLauncher launcher, IdempotencyStore keys, RunStore runs, RunView view, IOptions<StorageBudgetOptions> budget, TimeProvider time)
{
    /// <summary>How long a key keeps returning its run.</summary>
    public static readonly TimeSpan KeyLifetime = TimeSpan.FromHours(24);

    /// <summary>
    /// A claim whose run has not appeared this long after the request's storage budget has certainly ended was cut short
    /// (an outage, a host that died): a retry finishes its start.
    /// </summary>
    private readonly TimeSpan _abandonedAfter = budget.Value.RequestTimeout + TimeSpan.FromSeconds(2);

    /// <summary>How long a request waits for the run of a concurrent request with the same key.</summary>
    public static readonly TimeSpan WaitForConcurrent = TimeSpan.FromSeconds(10);

    /// <exception cref="RunConflictException">The key was used with another body, or its first request is still starting the run.</exception>
    public async Task<RunStartResult> StartAsync(RunStart start, string? idempotencyKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(start);
        if (idempotencyKey is null)
        {
            var workflow = await launcher.PrepareAsync(start.TenantId, start.WorkflowId, start.Version, start.Input, cancellationToken).ConfigureAwait(false);
            var run = await launcher.LaunchAsync(workflow, new RunLaunch(start.TenantId, start.Input, start.CreatedBy), cancellationToken).ConfigureAwait(false);
            return new RunStartResult(run.RunId, run.Status, Replayed: false);
        }

        var hash = CanonicalJson.Hash(new JsonObject
        {
            ["workflowId"] = start.WorkflowId,
            ["version"] = start.Version,
            ["input"] = start.Input?.DeepClone(),
        });
        var waitUntil = time.GetUtcNow() + WaitForConcurrent;
        var delay = TimeSpan.FromMilliseconds(20);
        while (true)
        {
            var entry = await keys.FindAsync(start.TenantId, idempotencyKey, cancellationToken).ConfigureAwait(false);
            if (entry is not null)
            {
                if (await ReplayAsync(start, idempotencyKey, entry, hash, waitUntil, cancellationToken).ConfigureAwait(false) is { } replayed)
                {
                    return replayed;
                }

                await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 250));
                continue;
            }

            var workflow = await launcher.PrepareAsync(start.TenantId, start.WorkflowId, start.Version, start.Input, cancellationToken).ConfigureAwait(false);
            var now = time.GetUtcNow();
            var runId = RunIds.New(now);
            if (!await keys.TryAddAsync(start.TenantId, idempotencyKey, hash, runId, now, cancellationToken).ConfigureAwait(false))
            {
                continue; // another request claimed the key first: return its run
            }

            try
            {
                var run = await launcher.LaunchAsync(workflow, new RunLaunch(start.TenantId, start.Input, start.CreatedBy, runId), cancellationToken).ConfigureAwait(false);
                return new RunStartResult(run.RunId, run.Status, Replayed: false);
            }
            catch (Exception e) when (!StorageOutage.IsOutage(e))
            {
                // A key pointing at a run that was never written would answer "still starting" until it expired.
                // (After an outage the claim stays: whether the run was written is unknown, and a retry finishes it.)
                if (await runs.GetAsync(start.TenantId, runId, CancellationToken.None).ConfigureAwait(false) is null
                    && await keys.FindAsync(start.TenantId, idempotencyKey, CancellationToken.None).ConfigureAwait(false) is { } claimed
                    && claimed.RunId == runId)
                {
                    await keys.RemoveAsync(start.TenantId, idempotencyKey, claimed, CancellationToken.None).ConfigureAwait(false);
                }

                throw;
            }
        }
    }

    /// <summary>The earlier request's run; null when the caller should look again (the run is still being written, or the claim was freed).</summary>
    private async Task<RunStartResult?> ReplayAsync(RunStart start, string key, IdempotencyEntry entry, string hash, DateTimeOffset waitUntil, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (now - entry.CreatedAt > KeyLifetime)
        {
            await keys.RemoveAsync(start.TenantId, key, entry, cancellationToken).ConfigureAwait(false);
            return null;
        }

        if (entry.RequestHash != hash)
        {
            throw new RunConflictException(
                $"The Idempotency-Key '{key}' was already used with a different request body (run {entry.RunId}); use a new key for a new request.");
        }

        var run = await view.GetAsync(start.TenantId, entry.RunId, cancellationToken).ConfigureAwait(false);
        if (run is { RuntimeStatus: not null } || run is { Record.Status: not RunStatuses.Running } && run.Record.Error?.Code != RunLauncher.StartFailedCode)
        {
            // The run as it stands now.
            return new RunStartResult(run.RunId, run.Status, Replayed: true);
        }

        if (run is not null || now - entry.CreatedAt > _abandonedAfter)
        {
            // The first request was cut short after its claim: finish its start under the reserved run id.
            var workflow = await launcher.PrepareAsync(start.TenantId, start.WorkflowId, start.Version, start.Input, cancellationToken).ConfigureAwait(false);
            var completed = await launcher.CompleteStartAsync(workflow, new RunLaunch(start.TenantId, start.Input, start.CreatedBy, entry.RunId), cancellationToken)
                .ConfigureAwait(false);
            return new RunStartResult(completed.RunId, completed.Status, Replayed: true);
        }

        return now < waitUntil
            ? null
            : throw new RunConflictException($"A request with the Idempotency-Key '{key}' is still starting its run; retry in a moment.");
    }
}
