using System.Net.Sockets;
using Azure;

namespace Ratify.Functions.Storage;

/// <summary>Tells a store that could not be reached or failed on its side from one that refused a request.</summary>
public static class StorageOutage
{
    /// <summary>
    /// Whether <paramref name="exception"/> means storage is unavailable: no answer (a network error or timeout), a server-side
    /// failure (5xx, 408), or the storage client's own give-up after retrying those.
    /// </summary>
    public static bool IsOutage(Exception exception) => exception switch
    {
        RequestFailedException failed => failed.Status is 0 or 408 or >= 500,
        AggregateException all => all.InnerExceptions.Count > 0 && all.InnerExceptions.All(IsOutage),
        // A request body the client broke off or sent malformed is the caller's problem, not storage's.
        Microsoft.AspNetCore.Http.BadHttpRequestException => false,
        OperationCanceledException or TimeoutException or HttpRequestException or IOException or SocketException => true,
        _ => false,
    };
}
