using Azure.Data.Tables;

namespace Ratify.Functions.Storage;

/// <summary>Stores a string in a table property, or in a blob when it is longer than a property holds.</summary>
public static class LargeText
{
    /// <summary>A table string property holds at most 32 K characters.</summary>
    public const int MaxInlineChars = 30_000;

    public static async Task WriteAsync(TableEntity row, string property, string? text, AppBlobs blobs, string blobName, CancellationToken cancellationToken)
    {
        if (text is { Length: > MaxInlineChars })
        {
            row[property + "Blob"] = await blobs.UploadAsync(blobName, BinaryData.FromString(text), cancellationToken).ConfigureAwait(false);
        }
        else
        {
            row[property] = text;
        }
    }

    public static async Task<string?> ReadAsync(TableEntity row, string property, AppBlobs blobs, CancellationToken cancellationToken) =>
        row.GetString(property + "Blob") is { } blob
            ? (await blobs.DownloadAsync(blob, cancellationToken).ConfigureAwait(false)).ToString()
            : row.GetString(property);
}
