using System.Text.Json;
using Azure.Data.Tables;

namespace Ratify.Functions.Storage;

/// <summary>The Table service's limits on one entity-group transaction, and an upper bound of a transaction's request body.</summary>
internal static class TableTransactionLimits
{
    /// <summary>The most operations in one transaction.</summary>
    public const int MaxActions = 100;

    /// <summary>
    /// The body the transactions here may reach: the service refuses one over 4 MiB, and 64 KiB stay free for the multipart
    /// envelope around the operations.
    /// </summary>
    public const long MaxBodyBytes = (4 * 1024 * 1024) - (64 * 1024);

    // Each operation's part carries headers, a request line with its keys, and an If-Match ETag beside its entity: generously
    // counted, as is each property's name, type annotation and punctuation, and every value that is not a string or binary.
    private const int OperationOverheadBytes = 1024;
    private const int PropertyBytes = 64;
    private const int ValueBytes = 48;

    // JSON writers escape a character as at most six bytes (\uXXXX); a surrogate pair is two characters and twelve bytes.
    private const int MaxBytesPerChar = 6;

    // Under this many characters a string is counted at the six-byte bound rather than measured.
    private const int MeasureFrom = 512;

    /// <summary>Whether the transaction stays within the service's limits.</summary>
    public static bool Fits(IReadOnlyList<TableTransactionAction> actions) =>
        actions.Count <= MaxActions && BodyBytes(actions) <= MaxBodyBytes;

    /// <summary>
    /// An upper bound of the transaction's body in bytes. The quick bound (every character escaped) is taken while it is within
    /// <see cref="MaxBodyBytes"/>; past it, long strings are measured as the strictest JSON escaping writes them.
    /// </summary>
    public static long BodyBytes(IReadOnlyList<TableTransactionAction> actions)
    {
        ArgumentNullException.ThrowIfNull(actions);
        var quick = Sum(actions, measure: false);
        return quick <= MaxBodyBytes ? quick : Sum(actions, measure: true);
    }

    /// <summary>
    /// An upper bound of one operation's share of a transaction's body; <paramref name="measure"/> measures long strings as the
    /// strictest JSON escaping writes them instead of counting every character escaped.
    /// </summary>
    public static long OperationBytes(TableEntity entity, bool measure = false)
    {
        ArgumentNullException.ThrowIfNull(entity);

        // The keys appear in the request line (URL-encoded: up to nine bytes a character) and in the body.
        var bytes = OperationOverheadBytes + (3L * MaxBytesPerChar * (entity.PartitionKey.Length + entity.RowKey.Length));
        foreach (var (name, value) in entity)
        {
            bytes += PropertyBytes + (2L * name.Length) + value switch
            {
                string text => StringBytes(text, measure),
                byte[] binary => (4L * ((binary.Length + 2) / 3)) + 2, // base64 in quotes
                _ => ValueBytes,
            };
        }

        return bytes;
    }

    private static long Sum(IReadOnlyList<TableTransactionAction> actions, bool measure)
    {
        long bytes = 0;
        foreach (var action in actions)
        {
            if (action.Entity is not TableEntity entity)
            {
                throw new ArgumentException($"Only {nameof(TableEntity)} operations are measured, not {action.Entity.GetType().Name}.", nameof(actions));
            }

            bytes += OperationBytes(entity, measure);
        }

        return bytes;
    }

    private static long StringBytes(string text, bool measure) =>
        measure && text.Length >= MeasureFrom
            ? JsonEncodedText.Encode(text).EncodedUtf8Bytes.Length + 2
            : ((long)MaxBytesPerChar * text.Length) + 2;
}
