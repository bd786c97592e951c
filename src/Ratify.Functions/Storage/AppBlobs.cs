using Azure.Storage.Blobs;

namespace Ratify.Functions.Storage;

/// <summary>The app's blob container for payloads too large for a table property (run inputs, step outputs, artifacts).</summary>
public sealed class AppBlobs(BlobServiceClient service, string hubName)
{
    private readonly Lazy<Task<BlobContainerClient>> _container = new(async () =>
    {
        var container = service.GetBlobContainerClient(hubName.ToLowerInvariant() + "-artifacts");
        await container.CreateIfNotExistsAsync().ConfigureAwait(false);
        return container;
    });

    public async Task<string> UploadAsync(string name, BinaryData content, CancellationToken cancellationToken = default)
    {
        var container = await _container.Value.ConfigureAwait(false);
        await container.GetBlobClient(name).UploadAsync(content, overwrite: true, cancellationToken).ConfigureAwait(false);
        return name;
    }

    public async Task<BinaryData> DownloadAsync(string name, CancellationToken cancellationToken = default)
    {
        var container = await _container.Value.ConfigureAwait(false);
        return (await container.GetBlobClient(name).DownloadContentAsync(cancellationToken).ConfigureAwait(false)).Value.Content;
    }
}
