using Azure;

namespace Ratify.Durable.Storage;

/// <summary>The storage failures the runtime reacts to; the only place that interprets status codes.</summary>
internal static class StorageErrors
{
    public static bool IsNotFound(RequestFailedException e) => e.Status == 404;

    public static bool IsConflict(RequestFailedException e) => e.Status is 409 or 412;
}
