using Azure;

namespace Ratify.Functions.Storage;

/// <summary>The storage refusals the app's stores react to; the only place in the app that reads status codes.</summary>
public static class StorageErrors
{
    /// <summary>An insert found the entity already there.</summary>
    public static bool IsAlreadyExists(RequestFailedException e) => e?.Status == 409;

    /// <summary>The entity (or its table) is not there.</summary>
    public static bool IsNotFound(RequestFailedException e) => e?.Status == 404;

    /// <summary>An ETag-conditioned write found the entity changed since it was read.</summary>
    public static bool IsChanged(RequestFailedException e) => e?.Status == 412;

    /// <summary>Another writer got there first: the entity exists already or changed since it was read.</summary>
    public static bool IsConflict(RequestFailedException e) => e?.Status is 409 or 412;

    /// <summary>The entity read for a conditioned write is gone or changed.</summary>
    public static bool IsGoneOrChanged(RequestFailedException e) => e?.Status is 404 or 412;

    /// <summary>A failure that may pass: no answer, a timeout, throttling or a server error (the write may or may not have happened).</summary>
    public static bool IsTransient(RequestFailedException e) => e?.Status is 0 or 408 or 429 or >= 500;
}
