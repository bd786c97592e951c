using Azure;
using Ratify.Functions.Security;

namespace Ratify.Functions.Http;

/// <summary>
/// Watches the credential an open stream was opened with: <see cref="Ended"/> is cancelled when a ticket expires, or soon after
/// the API key behind the stream (directly or through its ticket) is revoked.
/// </summary>
/// <remarks>The key is looked up once per check interval, not per event; a lookup that fails keeps the stream open until the next.</remarks>
internal sealed class StreamCredentialWatch : IAsyncDisposable
{
    /// <summary>The reason a stream closes when its ticket expired.</summary>
    public const string TicketExpired = "the stream ticket expired";

    /// <summary>The reason a stream closes when its key was revoked.</summary>
    public const string KeyRevoked = "the API key was revoked";

    private readonly CancellationTokenSource _ended = new();
    private readonly CancellationTokenSource _stop;
    private readonly Task _watching;

    private StreamCredentialWatch(CallerContext caller, ApiKeyStore keys, TimeProvider time, TimeSpan keyCheckInterval, CancellationToken aborted)
    {
        _stop = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        _watching = WatchAsync(caller, keys, time, keyCheckInterval, _stop.Token);
    }

    /// <summary>Cancelled when the credential ended; <see cref="Reason"/> says how.</summary>
    public CancellationToken Ended => _ended.Token;

    /// <summary>Why the credential ended (<see cref="TicketExpired"/> or <see cref="KeyRevoked"/>); null while it holds.</summary>
    public string? Reason { get; private set; }

    /// <summary>Starts watching the credential of <paramref name="caller"/> until the stream ends (<paramref name="aborted"/>) or the watch is disposed.</summary>
    public static StreamCredentialWatch Start(CallerContext caller, ApiKeyStore keys, TimeProvider time, TimeSpan keyCheckInterval, CancellationToken aborted)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(time);
        return new StreamCredentialWatch(caller, keys, time, keyCheckInterval, aborted);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _watching.ConfigureAwait(false);
        _stop.Dispose();
        _ended.Dispose();
    }

    private async Task WatchAsync(CallerContext caller, ApiKeyStore keys, TimeProvider time, TimeSpan keyCheckInterval, CancellationToken stop)
    {
        // The bootstrap key has no row to revoke: it ends only with the configuration.
        var checksKey = !caller.IsBootstrap && keyCheckInterval > TimeSpan.Zero;
        var nextKeyCheck = checksKey ? time.GetUtcNow() + keyCheckInterval : DateTimeOffset.MaxValue;
        var expiresAt = caller.TicketExpiresAt ?? DateTimeOffset.MaxValue;
        try
        {
            while (nextKeyCheck != DateTimeOffset.MaxValue || expiresAt != DateTimeOffset.MaxValue)
            {
                var until = nextKeyCheck < expiresAt ? nextKeyCheck : expiresAt;
                var wait = until - time.GetUtcNow();
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, time, stop).ConfigureAwait(false);
                }

                if (time.GetUtcNow() >= expiresAt)
                {
                    await EndAsync(TicketExpired).ConfigureAwait(false);
                    return;
                }

                if (time.GetUtcNow() >= nextKeyCheck)
                {
                    if (await IsRevokedAsync(caller, keys, stop).ConfigureAwait(false))
                    {
                        await EndAsync(KeyRevoked).ConfigureAwait(false);
                        return;
                    }

                    nextKeyCheck = time.GetUtcNow() + keyCheckInterval;
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The stream ended first.
        }
    }

    private static async Task<bool> IsRevokedAsync(CallerContext caller, ApiKeyStore keys, CancellationToken stop)
    {
        try
        {
            return await keys.GetAsync(caller.TenantId, caller.KeyId, stop).ConfigureAwait(false) is not { IsRevoked: false };
        }
        catch (RequestFailedException)
        {
            // Storage did not answer: the key is looked up again at the next check.
            return false;
        }
    }

    private Task EndAsync(string reason)
    {
        Reason = reason;
        return _ended.CancelAsync();
    }
}
