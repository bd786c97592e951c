using System.Net.Sockets;
using System.Text.Json.Nodes;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;

namespace Ratify.Connectors.Email;

/// <summary>Translates MailKit's exceptions into connector failures: transient server and network problems are retryable.</summary>
internal static class SmtpFailures
{
    public static ConnectorFailure? From(Exception e, string server) => e switch
    {
        SmtpCommandException command => new ConnectorFailure(
            "smtp_rejected",
            $"{server} refused the message ({(int)command.StatusCode}): {command.Message}",
            // 4xx replies are temporary by definition; 5xx are permanent.
            Retryable: (int)command.StatusCode is >= 400 and < 500,
            Details: new JsonObject
            {
                ["status"] = (int)command.StatusCode,
                ["error"] = command.ErrorCode.ToString(),
                ["mailbox"] = command.Mailbox?.Address,
            }),
        AuthenticationException => new ConnectorFailure(
            "smtp_auth_failed", $"{server} did not accept the credentials", Retryable: false),
        SslHandshakeException => new ConnectorFailure(
            "tls_failed", $"TLS with {server} failed: {e.Message}", Retryable: false),
        TimeoutException => new ConnectorFailure(
            "timeout", $"{server} stopped answering", Retryable: true),
        NotSupportedException => new ConnectorFailure(
            "smtp_unsupported", $"{server}: {e.Message}", Retryable: false),
        SmtpProtocolException or ServiceNotConnectedException or SocketException or IOException => new ConnectorFailure(
            "connection_failed", $"{server} failed: {e.Message}", Retryable: true),
        _ => null,
    };
}
