using Microsoft.Extensions.Logging;

namespace Ratify.Functions.Http;

/// <summary>Log messages of the HTTP edge.</summary>
internal static partial class HttpLogs
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Error, Message = "Unhandled exception on {Method} {Path}; answered 500")]
    public static partial void UnhandledException(ILogger logger, Exception exception, string method, string path);
}
