using Microsoft.Extensions.Logging;

namespace Ratify.Functions.Http;

/// <summary>Log messages of the HTTP edge.</summary>
internal static partial class HttpLogs
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Error, Message = "Unhandled exception on {Method} {Path}; answered 500")]
    public static partial void UnhandledException(ILogger logger, Exception exception, string method, string path);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "Storage did not answer {Method} {Path} ({Failure}); answered 503")]
    public static partial void StorageUnavailable(ILogger logger, string method, string path, string failure);
}
