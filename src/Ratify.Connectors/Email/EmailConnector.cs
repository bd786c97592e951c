using System.Text.Json;
using System.Text.Json.Nodes;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using Ratify.Connectors.Arguments;
using Ratify.Connectors.Declarations;
using Ratify.Connectors.Outbound;

namespace Ratify.Connectors.Email;

/// <summary>Sends an email over SMTP with MailKit; the sent message (without credentials) becomes the <c>email</c> artifact.</summary>
/// <remarks>
/// <c>with: {host, port?, tls?: "none"|"starttls"|"tls", username?, password?, from, to, cc?, subject, text?, html?,
/// attachments?: [{step, name, filename?}], timeout?}</c>. <c>tls</c> defaults to <c>starttls</c>; the port to 25, 587 or 465
/// by TLS mode. The SMTP server is reached through the SSRF guard like every outbound call.
/// </remarks>
public sealed class EmailConnector : IConnector
{
    private static readonly TimeSpan DefaultTimeout = EmailDeclaration.DefaultTimeout;

    private readonly OutboundGuard _guard;
    private readonly TimeProvider _time;

    /// <summary>Creates the connector over the SSRF guard.</summary>
    public EmailConnector(OutboundGuard guard, TimeProvider time)
    {
        _guard = guard;
        _time = time;
    }

    /// <inheritdoc />
    public string Name => "email";

    /// <inheritdoc />
    public ConnectorDeclaration Declaration => EmailDeclaration.Value;

    /// <inheritdoc />
    public IReadOnlyList<ArgumentError> ValidateArguments(JsonObject arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var errors = Declaration.Check(arguments).ToList();
        if (arguments["text"] is null && arguments["html"] is null)
        {
            errors.Add(new ArgumentError("/text", "'text' or 'html' is required"));
        }

        if (arguments["password"] is not null && arguments["username"] is null)
        {
            errors.Add(new ArgumentError("/username", "'username' is required with 'password'"));
        }

        return errors;
    }

    /// <inheritdoc />
    public SideEffect GetSideEffect(JsonObject arguments) => SideEffect.Irreversible;

    /// <inheritdoc />
    public Task<ConnectorResult> ExecuteAsync(ConnectorContext context, CancellationToken cancellationToken) =>
        ConnectorExecution.RunAsync(context, ArgumentReader.Texts(context.Arguments, "password"), async () =>
        {
            var arguments = context.Arguments;
            var host = ArgumentReader.RequiredString(arguments, "host");
            var tls = (ArgumentReader.OptionalString(arguments, "tls") ?? "starttls").ToLowerInvariant();
            var (socketOptions, defaultPort) = tls switch
            {
                "none" => (SecureSocketOptions.None, 25),
                "starttls" => (SecureSocketOptions.StartTls, 587),
                "tls" => (SecureSocketOptions.SslOnConnect, 465),
                _ => throw ArgumentReader.Wrong("tls", "none, starttls or tls"),
            };
            var port = (int)(ArgumentReader.OptionalNumber(arguments, "port") ?? defaultPort);
            var timeout = ArgumentReader.Duration(arguments, "timeout", DefaultTimeout);
            var message = await EmailMessageFactory.CreateAsync(context, _time, cancellationToken).ConfigureAwait(false);

            var server = $"SMTP server {host}:{port}";
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(timeout);
            string response;
            try
            {
                response = await SendAsync(arguments, host, port, socketOptions, timeout, message, deadline.Token).ConfigureAwait(false);
            }
            catch (OutboundBlockedException e)
            {
                return ConnectorResult.Failed(new ConnectorFailure("ssrf_blocked", e.Message, Retryable: false, Details: new JsonObject { ["host"] = e.Host }));
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return ConnectorResult.Failed(new ConnectorFailure("timeout", $"{server} did not finish within {timeout.TotalSeconds:0.###} s", Retryable: true));
            }
            catch (Exception e) when (SmtpFailures.From(e, server) is { } failure)
            {
                return ConnectorResult.Failed(failure);
            }

            using var eml = new MemoryStream();
            await message.WriteToAsync(eml, cancellationToken).ConfigureAwait(false);
            var output = new JsonObject
            {
                ["messageId"] = message.MessageId,
                ["from"] = message.From.Mailboxes.First().Address,
                ["to"] = new JsonArray([.. message.To.Mailboxes.Select(m => (JsonNode)m.Address)]),
                ["cc"] = new JsonArray([.. message.Cc.Mailboxes.Select(m => (JsonNode)m.Address)]),
                ["subject"] = message.Subject,
                ["response"] = response,
            };
            return ConnectorResult.Success(output, [new ConnectorArtifact("email", "email", eml.ToArray())]);
        });

    private async Task<string> SendAsync(
        JsonObject arguments, string host, int port, SecureSocketOptions options, TimeSpan timeout, MimeMessage message, CancellationToken cancellationToken)
    {
        using var client = new SmtpClient { Timeout = (int)timeout.TotalMilliseconds };
        var socket = await _guard.ConnectAsync(host, port, cancellationToken).ConfigureAwait(false);
        try
        {
            await client.ConnectAsync(socket, host, port, options, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        if (ArgumentReader.OptionalString(arguments, "username") is { Length: > 0 } username)
        {
            var password = ArgumentReader.OptionalString(arguments, "password") ?? "";
            await client.AuthenticateAsync(username, password, cancellationToken).ConfigureAwait(false);
        }

        var response = await client.SendAsync(message, cancellationToken).ConfigureAwait(false);
        try
        {
            await client.DisconnectAsync(quit: true, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SmtpProtocolException)
        {
            // The message was accepted; a failed goodbye does not undo that.
        }

        return response;
    }
}
