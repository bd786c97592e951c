using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;

namespace Ratify.Durable;

/// <summary>
/// How to reach a storage account: a connection string, or the account's table, queue and blob service URIs with a
/// token credential (an identity-based connection, as Functions reads it from <c>AzureWebJobsStorage__…</c>).
/// </summary>
/// <remarks>
/// Both kinds make the same clients, so leases, ETags and entity-group transactions behave alike; only the
/// authentication differs. <see cref="StorageConnectionSettings"/> reads one from configuration.
/// </remarks>
public sealed class StorageConnection
{
    private StorageConnection(string? connectionString, Uri? tableServiceUri, Uri? queueServiceUri, Uri? blobServiceUri, TokenCredential? credential)
    {
        ConnectionString = connectionString;
        TableServiceUri = tableServiceUri;
        QueueServiceUri = queueServiceUri;
        BlobServiceUri = blobServiceUri;
        Credential = credential;
    }

    /// <summary>The Azurite development account on its default ports.</summary>
    public static StorageConnection Development { get; } = FromConnectionString("UseDevelopmentStorage=true");

    /// <summary>The connection string, or null for an identity-based connection.</summary>
    public string? ConnectionString { get; }

    /// <summary>The Table service endpoint of an identity-based connection, else null.</summary>
    public Uri? TableServiceUri { get; }

    /// <summary>The Queue service endpoint of an identity-based connection, else null.</summary>
    public Uri? QueueServiceUri { get; }

    /// <summary>The Blob service endpoint of an identity-based connection, else null.</summary>
    public Uri? BlobServiceUri { get; }

    /// <summary>The credential of an identity-based connection, else null.</summary>
    public TokenCredential? Credential { get; }

    /// <summary>A connection from a storage connection string; the clients parse it when they are made.</summary>
    public static StorageConnection FromConnectionString(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return new StorageConnection(connectionString, null, null, null, null);
    }

    /// <summary>An identity-based connection to the given service endpoints.</summary>
    public static StorageConnection FromServiceUris(Uri tableServiceUri, Uri queueServiceUri, Uri blobServiceUri, TokenCredential credential)
    {
        ArgumentNullException.ThrowIfNull(tableServiceUri);
        ArgumentNullException.ThrowIfNull(queueServiceUri);
        ArgumentNullException.ThrowIfNull(blobServiceUri);
        ArgumentNullException.ThrowIfNull(credential);
        return new StorageConnection(null, tableServiceUri, queueServiceUri, blobServiceUri, credential);
    }

    /// <summary>A Table service client for this account.</summary>
    public TableServiceClient CreateTableServiceClient(TableClientOptions? options = null) =>
        ConnectionString is not null
            ? new TableServiceClient(ConnectionString, options)
            : new TableServiceClient(TableServiceUri!, Credential!, options);

    /// <summary>A Queue service client for this account.</summary>
    public QueueServiceClient CreateQueueServiceClient(QueueClientOptions? options = null) =>
        ConnectionString is not null
            ? new QueueServiceClient(ConnectionString, options)
            : new QueueServiceClient(QueueServiceUri!, Credential!, options);

    /// <summary>A Blob service client for this account.</summary>
    public BlobServiceClient CreateBlobServiceClient(BlobClientOptions? options = null) =>
        ConnectionString is not null
            ? new BlobServiceClient(ConnectionString, options)
            : new BlobServiceClient(BlobServiceUri!, Credential!, options);
}
