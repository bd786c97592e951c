using Azure;
using Azure.Storage.Blobs.Models;

namespace Ratify.Durable.Storage;

/// <summary>Keeps payloads too large for a queue message or a table property in blobs, under the instance's prefix.</summary>
internal sealed class PayloadStore(StorageAccount account)
{
    public async Task<string> UploadAsync(string instanceId, BinaryData content)
    {
        var name = $"{BlobPrefix(instanceId)}{Guid.NewGuid():N}.json";
        await account.Payloads.UploadBlobAsync(name, content).ConfigureAwait(false);
        return name;
    }

    public async Task<BinaryData> DownloadAsync(string name)
    {
        var result = await account.Payloads.GetBlobClient(name).DownloadContentAsync().ConfigureAwait(false);
        return result.Value.Content;
    }

    public async Task DeleteAllAsync(string instanceId)
    {
        await foreach (var blob in account.Payloads.GetBlobsAsync(BlobTraits.None, BlobStates.None, BlobPrefix(instanceId), CancellationToken.None).ConfigureAwait(false))
        {
            try
            {
                await account.Payloads.DeleteBlobAsync(blob.Name).ConfigureAwait(false);
            }
            catch (RequestFailedException e) when (StorageErrors.IsNotFound(e))
            {
                // Someone else deleted it first.
            }
        }
    }

    // Instance ids may hold characters that blob names treat specially; hex keeps the prefix safe and unique.
    private static string BlobPrefix(string instanceId) => Convert.ToHexString(System.Text.Encoding.UTF8.GetBytes(instanceId)) + "/";
}
