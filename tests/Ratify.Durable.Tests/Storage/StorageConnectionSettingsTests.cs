using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Configuration;

namespace Ratify.Durable.Tests.Storage;

public sealed class StorageConnectionSettingsTests
{
    private const string Name = StorageConnectionSettings.DefaultName;

    [Fact]
    public void TryRead_ConnectionString_KeepsTheConnectionStringPath()
    {
        var connection = Read(new() { [Name] = "UseDevelopmentStorage=true" });

        Assert.Equal("UseDevelopmentStorage=true", connection.ConnectionString);
        Assert.Null(connection.Credential);
        Assert.Equal("devstoreaccount1", connection.CreateQueueServiceClient().AccountName);
    }

    [Fact]
    public void TryRead_NothingSet_IsAzurite()
    {
        Assert.Same(StorageConnection.Development, Read([]));
        Assert.Same(StorageConnection.Development, Read(new() { [Name] = "" }));
    }

    [Fact]
    public void TryRead_AccountNameWithUserAssignedIdentity_PointsEveryClientAtThatAccount()
    {
        var connection = Read(new()
        {
            [$"{Name}:accountName"] = "ratifyprod",
            [$"{Name}:credential"] = "managedidentity",
            [$"{Name}:clientId"] = "00000000-0000-0000-0000-000000000001",
        });

        Assert.Null(connection.ConnectionString);
        Assert.IsType<ManagedIdentityCredential>(connection.Credential);
        Assert.Equal(new Uri("https://ratifyprod.table.core.windows.net"), connection.CreateTableServiceClient().Uri);
        Assert.Equal(new Uri("https://ratifyprod.queue.core.windows.net"), connection.CreateQueueServiceClient().Uri);
        Assert.Equal(new Uri("https://ratifyprod.blob.core.windows.net"), connection.CreateBlobServiceClient().Uri);
        Assert.Equal("ratifyprod", connection.CreateBlobServiceClient().AccountName);
    }

    [Fact]
    public void TryRead_ServiceUris_WinOverTheAccountNameOneByOne()
    {
        var connection = Read(new()
        {
            [$"{Name}:accountName"] = "ratifyprod",
            [$"{Name}:tableServiceUri"] = "https://ratifyprod.table.core.chinacloudapi.cn/",
            [$"{Name}:credential"] = "ManagedIdentity",
        });

        Assert.Equal(new Uri("https://ratifyprod.table.core.chinacloudapi.cn/"), connection.TableServiceUri);
        Assert.Equal(new Uri("https://ratifyprod.queue.core.windows.net"), connection.QueueServiceUri);
        Assert.Equal(new Uri("https://ratifyprod.blob.core.windows.net"), connection.BlobServiceUri);
    }

    [Fact]
    public void TryRead_NoCredentialSetting_UsesTheDefaultAzureCredential()
    {
        var connection = Read(new()
        {
            [$"{Name}:tableServiceUri"] = "https://acct.table.core.windows.net",
            [$"{Name}:queueServiceUri"] = "https://acct.queue.core.windows.net",
            [$"{Name}:blobServiceUri"] = "https://acct.blob.core.windows.net",
        });

        Assert.IsType<DefaultAzureCredential>(connection.Credential);
    }

    [Theory]
    [InlineData("queueServiceUri", null, "AzureWebJobsStorage__queueServiceUri is missing")]
    [InlineData("queueServiceUri", "http://acct.queue.core.windows.net", "AzureWebJobsStorage__queueServiceUri must be an absolute https URI")]
    [InlineData("queueServiceUri", "acct.queue", "AzureWebJobsStorage__queueServiceUri must be an absolute https URI")]
    [InlineData("credential", "clientsecret", "AzureWebJobsStorage__credential must be 'managedidentity'")]
    [InlineData("accountName", "Not_An_Account", "AzureWebJobsStorage__accountName must be a storage account name")]
    public void TryRead_InvalidIdentitySettings_NameTheSettingToFix(string key, string? value, string expected)
    {
        var settings = new Dictionary<string, string?>
        {
            [$"{Name}:tableServiceUri"] = "https://acct.table.core.windows.net",
            [$"{Name}:queueServiceUri"] = "https://acct.queue.core.windows.net",
            [$"{Name}:blobServiceUri"] = "https://acct.blob.core.windows.net",
            [$"{Name}:credential"] = "managedidentity",
        };
        settings[$"{Name}:{key}"] = value;

        Assert.False(StorageConnectionSettings.TryRead(Configuration(settings), Name, out var connection, out var error));
        Assert.Null(connection);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryRead_MalformedConnectionString_FailsWithoutEchoingIt()
    {
        Assert.False(StorageConnectionSettings.TryRead(Configuration(new() { [Name] = "AccountKey=hunter2" }), Name, out _, out var error));

        Assert.StartsWith("AzureWebJobsStorage is not a storage connection string", error, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task Clients_of_an_identity_based_connection_authenticate_with_its_credential_for_storage()
    {
        // Nothing listens on port 1 of loopback: each request fails fast, after its bearer token was asked for.
        var credential = new RecordingCredential();
        var endpoint = new Uri("https://127.0.0.1:1/");
        var connection = StorageConnection.FromServiceUris(endpoint, endpoint, endpoint, credential);
        var timeout = TestTimeout.Token();

        await Assert.ThrowsAnyAsync<Exception>(() => connection.CreateTableServiceClient(new TableClientOptions { Retry = { MaxRetries = 0 } })
            .GetPropertiesAsync(timeout));
        await Assert.ThrowsAnyAsync<Exception>(() => connection.CreateQueueServiceClient(new QueueClientOptions { Retry = { MaxRetries = 0 } })
            .GetPropertiesAsync(timeout));
        await Assert.ThrowsAnyAsync<Exception>(() => connection.CreateBlobServiceClient(new BlobClientOptions { Retry = { MaxRetries = 0 } })
            .GetPropertiesAsync(timeout));

        Assert.Equal(3, credential.Scopes.Count);
        Assert.All(credential.Scopes, scope => Assert.Equal("https://storage.azure.com/.default", scope));
    }

    private static StorageConnection Read(Dictionary<string, string?> settings)
    {
        Assert.True(StorageConnectionSettings.TryRead(Configuration(settings), Name, out var connection, out var error), error);
        return connection;
    }

    private static IConfiguration Configuration(Dictionary<string, string?> settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build();

    /// <summary>A credential at the identity boundary: it records the scopes asked for and hands out a dummy token.</summary>
    private sealed class RecordingCredential : TokenCredential
    {
        public List<string> Scopes { get; } = [];

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            lock (Scopes)
            {
                Scopes.AddRange(requestContext.Scopes);
            }

            return new AccessToken("not-a-real-token", DateTimeOffset.UtcNow.AddHours(1));
        }

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }
}
