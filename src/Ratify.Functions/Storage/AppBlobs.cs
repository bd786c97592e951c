using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace Ratify.Functions.Storage;

/// <summary>The app's blob container for payloads too large for a table property (run inputs, step outputs, artifacts).</summary>
public sealed class AppBlobs(BlobServiceClient service, string hubName)
{
    private Task<BlobContainerClient>? _container;

    public async Task<string> UploadAsync(string name, BinaryData content, CancellationToken cancellationToken = default)
    {
        var container = await ContainerAsync().ConfigureAwait(false);
        await container.GetBlobClient(name).UploadAsync(content, overwrite: true, cancellationToken).ConfigureAwait(false);
        return name;
    }

    public async Task<BinaryData> DownloadAsync(string name, CancellationToken cancellationToken = default)
    {
        var container = await ContainerAsync().ConfigureAwait(false);
        return (await container.GetBlobClient(name).DownloadContentAsync(cancellationToken).ConfigureAwait(false)).Value.Content;
    }

    /// <summary>Counts (or, with <paramref name="delete"/>, deletes) the blobs whose names start with <paramref name="prefix"/>; returns how many.</summary>
    public async Task<int> ForPrefixAsync(string prefix, bool delete, CancellationToken cancellationToken = default)
    {
        var container = await ContainerAsync().ConfigureAwait(false);
        var count = 0;
        await foreach (var blob in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix, cancellationToken).ConfigureAwait(false))
        {
            if (delete)
            {
                await container.DeleteBlobIfExistsAsync(blob.Name, cancellationToken: cancellationToken).ConfigureAwait(false);
            }

            count++;
        }

        return count;
    }

    private async Task<BlobContainerClient> ContainerAsync()
    {
        var creation = _container ??= CreateAsync();
        try
        {
            return await creation.ConfigureAwait(false);
        }
        catch (Exception) when (creation.IsFaulted)
        {
            // Storage was down at first use: try again next time.
            _ = Interlocked.CompareExchange(ref _container, null, creation);
            throw;
        }
    }

    private async Task<BlobContainerClient> CreateAsync()
    {
        var container = service.GetBlobContainerClient(hubName.ToLowerInvariant() + "-artifacts");
        await container.CreateIfNotExistsAsync().ConfigureAwait(false);
        return container;
    }
}
