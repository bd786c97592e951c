using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Ratify.Durable;
using Ratify.Functions.Hosting;

namespace Ratify.Functions.Tests.Hosting;

/// <summary>
/// Azurite does not accept Entra ID tokens, so these tests stop short of a request: they check that the identity-based
/// settings, in the shapes Functions reads them, make the app's clients point at the configured account with a managed identity.
/// </summary>
public sealed class IdentityStorageConnectionTests : IDisposable
{
    private readonly DirectoryInfo _contentRoot = Directory.CreateTempSubdirectory("ratify-host-");

    [Fact]
    public void Environment_style_identity_settings_give_the_app_clients_for_that_account()
    {
        using var app = Build(
            "--AzureWebJobsStorage:accountName=ratifyprod",
            "--AzureWebJobsStorage:credential=managedidentity",
            "--AzureWebJobsStorage:clientId=00000000-0000-0000-0000-000000000001");

        Assert.IsType<ManagedIdentityCredential>(app.Services.GetRequiredService<IOptions<StorageConnectionOptions>>().Value.Connection.Credential);
        Assert.Equal(new Uri("https://ratifyprod.table.core.windows.net"), app.Services.GetRequiredService<TableServiceClient>().Uri);
        Assert.Equal(new Uri("https://ratifyprod.queue.core.windows.net"), app.Services.GetRequiredService<QueueServiceClient>().Uri);
        Assert.Equal(new Uri("https://ratifyprod.blob.core.windows.net"), app.Services.GetRequiredService<BlobServiceClient>().Uri);
    }

    [Fact]
    public void Local_settings_service_uris_with_double_underscores_make_an_identity_based_connection()
    {
        File.WriteAllText(
            Path.Combine(_contentRoot.FullName, "local.settings.json"),
            """
            {"IsEncrypted": false, "Values": {
              "AzureWebJobsStorage__tableServiceUri": "https://acct.table.core.usgovcloudapi.net",
              "AzureWebJobsStorage__queueServiceUri": "https://acct.queue.core.usgovcloudapi.net",
              "AzureWebJobsStorage__blobServiceUri": "https://acct.blob.core.usgovcloudapi.net"}}
            """);

        using var app = Build();

        Assert.IsType<DefaultAzureCredential>(app.Services.GetRequiredService<IOptions<StorageConnectionOptions>>().Value.Connection.Credential);
        Assert.Equal(new Uri("https://acct.queue.core.usgovcloudapi.net"), app.Services.GetRequiredService<QueueServiceClient>().Uri);
    }

    [Fact]
    public void Startup_fails_naming_the_missing_setting_when_the_identity_based_connection_is_incomplete()
    {
        using var app = Build("--AzureWebJobsStorage:blobServiceUri=https://acct.blob.core.windows.net", "--AzureWebJobsStorage:credential=managedidentity");

        var error = Assert.Throws<OptionsValidationException>(() => app.Services.GetRequiredService<IOptions<StorageConnectionOptions>>().Value);

        Assert.Contains("AzureWebJobsStorage__tableServiceUri is missing", error.Message, StringComparison.Ordinal);
        Assert.Contains("AzureWebJobsStorage__queueServiceUri is missing", error.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task The_health_check_says_the_credential_failed_when_the_identity_has_no_token()
    {
        var endpoint = new Uri("https://127.0.0.1:1/");
        var check = new StorageHealthCheck(Options.Create(new StorageConnectionOptions
        {
            Connection = StorageConnection.FromServiceUris(endpoint, endpoint, endpoint, new NoTokenCredential()),
        }));

        var result = await check.CheckHealthAsync(new HealthCheckContext(), new CancellationTokenSource(TimeSpan.FromSeconds(20)).Token);

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Equal("The storage credential (AzureWebJobsStorage__credential) could not get a token.", result.Description);
    }

    public void Dispose() => _contentRoot.Delete(recursive: true);

    /// <summary>An identity with no token to offer, as on a machine without a managed identity.</summary>
    private sealed class NoTokenCredential : TokenCredential
    {
        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            throw new AuthenticationFailedException("No managed identity endpoint is available.");

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            throw new AuthenticationFailedException("No managed identity endpoint is available.");
    }

    private WebApplication Build(params string[] args)
    {
        // An empty AzureWebJobsStorage on the command line hides any connection string in the machine's environment.
        var builder = WebApplication.CreateBuilder(
                new WebApplicationOptions { ContentRootPath = _contentRoot.FullName, Args = ["--AzureWebJobsStorage=", .. args] })
            .AddFunctionsHostConfiguration();
        builder.Services.AddRatifyStorage();
        return builder.Build();
    }
}
