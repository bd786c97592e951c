using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;

namespace Ratify.Connectors.Tests.Support;

/// <summary>One SMTP conversation: EHLO/HELO, AUTH PLAIN/LOGIN, MAIL, RCPT, DATA, RSET, NOOP, QUIT.</summary>
internal sealed class SmtpSession(TcpClient client, SmtpBehaviour behaviour, ChannelWriter<ReceivedMail> messages)
{
    private readonly List<string> _recipients = [];
    private Stream _stream = Stream.Null;
    private string? _mailFrom;
    private string? _user;
    private string? _password;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var connection = client;
        _stream = client.GetStream();
        var reader = new LineReader(_stream);
        try
        {
            await ReplyAsync("220 receiver.test ESMTP ready", cancellationToken);
            while (await reader.ReadLineAsync(cancellationToken) is { } line)
            {
                if (!await HandleAsync(line, reader, cancellationToken))
                {
                    return;
                }
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went away or the server is stopping.
        }
    }

    private async Task<bool> HandleAsync(string line, LineReader reader, CancellationToken cancellationToken)
    {
        var verb = line.Split(' ', 2)[0].ToUpperInvariant();
        var argument = line.Length > verb.Length ? line[(verb.Length + 1)..] : "";
        switch (verb)
        {
            case "EHLO":
                await ReplyAsync("250-receiver.test\r\n250-AUTH PLAIN LOGIN\r\n250 SIZE 10485760", cancellationToken);
                break;
            case "HELO":
                await ReplyAsync("250 receiver.test", cancellationToken);
                break;
            case "AUTH":
                await AuthenticateAsync(argument, reader, cancellationToken);
                break;
            case "MAIL":
                _mailFrom = Address(argument);
                _recipients.Clear();
                await ReplyAsync("250 2.1.0 Ok", cancellationToken);
                break;
            case "RCPT":
                var recipient = Address(argument);
                if (behaviour.RejectedRecipients.Contains(recipient))
                {
                    await ReplyAsync("550 5.1.1 No such user", cancellationToken);
                    break;
                }

                _recipients.Add(recipient);
                await ReplyAsync("250 2.1.5 Ok", cancellationToken);
                break;
            case "DATA":
                await ReplyAsync("354 End data with <CR><LF>.<CR><LF>", cancellationToken);
                var data = await reader.ReadDataAsync(cancellationToken);
                if (behaviour.DataReply is { } forced)
                {
                    await ReplyAsync(forced, cancellationToken);
                    break;
                }

                await messages.WriteAsync(new ReceivedMail(_mailFrom ?? "", [.. _recipients], _user, _password, data), cancellationToken);
                await ReplyAsync("250 2.0.0 Ok: queued as TEST1", cancellationToken);
                break;
            case "RSET":
                _mailFrom = null;
                _recipients.Clear();
                await ReplyAsync("250 2.0.0 Ok", cancellationToken);
                break;
            case "NOOP":
                await ReplyAsync("250 2.0.0 Ok", cancellationToken);
                break;
            case "QUIT":
                await ReplyAsync("221 2.0.0 Bye", cancellationToken);
                return false;
            default:
                await ReplyAsync("502 5.5.2 Command not recognized", cancellationToken);
                break;
        }

        return true;
    }

    private async Task AuthenticateAsync(string argument, LineReader reader, CancellationToken cancellationToken)
    {
        var parts = argument.Split(' ', 2);
        var mechanism = parts[0].ToUpperInvariant();
        if (mechanism == "PLAIN")
        {
            var initial = parts.Length > 1 ? parts[1] : await AskAsync("334 ", reader, cancellationToken);
            var fields = Decode(initial).Split('\0');
            (_user, _password) = (fields.ElementAtOrDefault(1), fields.ElementAtOrDefault(2));
        }
        else if (mechanism == "LOGIN")
        {
            var user = parts.Length > 1 ? parts[1] : await AskAsync("334 VXNlcm5hbWU6", reader, cancellationToken);
            _user = Decode(user);
            _password = Decode(await AskAsync("334 UGFzc3dvcmQ6", reader, cancellationToken));
        }
        else
        {
            await ReplyAsync("504 5.5.4 Unrecognized authentication type", cancellationToken);
            return;
        }

        var accepted = behaviour.Credentials is not { } expected || (expected.User == _user && expected.Password == _password);
        await ReplyAsync(accepted ? "235 2.7.0 Authentication successful" : "535 5.7.8 Authentication credentials invalid", cancellationToken);
    }

    private async Task<string> AskAsync(string prompt, LineReader reader, CancellationToken cancellationToken)
    {
        await ReplyAsync(prompt, cancellationToken);
        return await reader.ReadLineAsync(cancellationToken) ?? throw new IOException("the client closed during AUTH");
    }

    private async Task ReplyAsync(string reply, CancellationToken cancellationToken)
    {
        await _stream.WriteAsync(Encoding.ASCII.GetBytes(reply + "\r\n"), cancellationToken);
        await _stream.FlushAsync(cancellationToken);
    }

    private static string Decode(string base64) => Encoding.UTF8.GetString(Convert.FromBase64String(base64.Trim()));

    // "FROM:<a@b> SIZE=123" -> "a@b"
    private static string Address(string argument)
    {
        var open = argument.IndexOf('<', StringComparison.Ordinal);
        var close = argument.IndexOf('>', StringComparison.Ordinal);
        return open >= 0 && close > open ? argument[(open + 1)..close] : argument;
    }
}
