using Azure;
using Azure.Data.Tables;
using Azure.Identity;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Ratify.Functions.Hosting;

/// <summary>Healthy when the storage account's Table service answers a one-row query.</summary>
internal sealed class StorageHealthCheck(IOptions<StorageConnectionOptions> options) : IHealthCheck
{
    // A client of its own without retries and with a short network timeout: an unreachable account is reported at
    // once, not after the SDK's backoff that the app's clients rightly use.
    private readonly TableServiceClient _probe = options.Value.Connection.CreateTableServiceClient(
        new TableClientOptions { Retry = { MaxRetries = 0, NetworkTimeout = TimeSpan.FromSeconds(3) } });

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await foreach (var _ in _probe.QueryAsync(maxPerPage: 1, cancellationToken: cancellationToken).AsPages().ConfigureAwait(false))
            {
                break;
            }

            return HealthCheckResult.Healthy();
        }
        catch (RequestFailedException e) when (e.Status != 0)
        {
            return HealthCheckResult.Unhealthy(
                $"The storage account ({StorageConnectionOptions.ConfigurationKey}) refused the request with status {e.Status} ({e.ErrorCode}).");
        }
        catch (AuthenticationFailedException e)
        {
            // An identity-based connection whose identity has no token to offer: the account itself was never asked.
            return HealthCheckResult.Unhealthy(
                $"The storage credential ({StorageConnectionOptions.ConfigurationKey}__credential) could not get a token.", e);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The exception's own message may name hosts and ports; the probe is anonymous, so it says only what failed.
            return HealthCheckResult.Unhealthy($"The storage account ({StorageConnectionOptions.ConfigurationKey}) did not answer.", e);
        }
    }
}
