using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;

namespace Ratify.Connectors.Tests.Support;

/// <summary>A real SMTP server on 127.0.0.1 standing in for a mail relay: it speaks the dialogue and records each message.</summary>
public sealed class SmtpReceiver : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Channel<ReceivedMail> _messages = Channel.CreateUnbounded<ReceivedMail>();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;
    private readonly List<Task> _sessions = [];

    public SmtpReceiver(SmtpBehaviour? behaviour = null)
    {
        Behaviour = behaviour ?? new SmtpBehaviour();
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _acceptLoop = AcceptAsync();
    }

    public int Port { get; }

    public string AllowEntry => $"127.0.0.1:{Port}";

    public SmtpBehaviour Behaviour { get; }

    /// <summary>Waits for the next message that completed the DATA phase.</summary>
    public Task<ReceivedMail> NextMessageAsync(CancellationToken cancellationToken) =>
        _messages.Reader.ReadAsync(cancellationToken).AsTask();

    public bool TryTakeMessage(out ReceivedMail? mail) => _messages.Reader.TryRead(out mail);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await Task.WhenAll([_acceptLoop, .. _sessions]).ContinueWith(_ => { }, TaskScheduler.Default);
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            lock (_sessions)
            {
                _sessions.Add(new SmtpSession(client, Behaviour, _messages.Writer).RunAsync(_stop.Token));
            }
        }
    }
}
