using System.Text.Json.Nodes;

namespace Ratify.Functions.Runs;

/// <summary>Starts runs for <c>POST /v1/runs</c>, honouring an Idempotency-Key: one key and one body give one run.</summary>
/// <remarks>
/// The key is claimed (an insert that fails on a race) after the request is validated and before the run is written, so
/// that of two concurrent requests with one key only one starts a run; the other waits for that run and returns it. A key
/// whose request failed validation is never stored, and a key whose run could not be written is freed again.
/// </remarks>
public sealed class RunStarter(RunLauncher launcher, IdempotencyStore keys, RunStore runs, TimeProvider time)
{
    /// <summary>How long a key keeps returning its run.</summary>
    public static readonly TimeSpan KeyLifetime = TimeSpan.FromHours(24);

    /// <summary>A claim whose run has not appeared after this long was left by a host that died: it may be taken over.</summary>
    public static readonly TimeSpan AbandonedAfter = TimeSpan.FromMinutes(1);

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
            catch
            {
                // A key pointing at a run that was never written would answer "still starting" until it expired.
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

        var run = await runs.GetAsync(start.TenantId, entry.RunId, cancellationToken).ConfigureAwait(false);
        if (run is not null)
        {
            // The status the first response carried: running, unless its orchestration could not be scheduled.
            var status = run.Error?.Code == RunLauncher.StartFailedCode ? RunStatuses.Failed : RunStatuses.Running;
            return new RunStartResult(run.RunId, status, Replayed: true);
        }

        if (now - entry.CreatedAt > AbandonedAfter)
        {
            await keys.RemoveAsync(start.TenantId, key, entry, cancellationToken).ConfigureAwait(false);
            return null;
        }

        return now < waitUntil
            ? null
            : throw new RunConflictException($"A request with the Idempotency-Key '{key}' is still starting its run; retry in a moment.");
    }
}
