using System.Net;
using System.Net.Sockets;

namespace Ratify.Connectors.Tests.Support;

/// <summary>A listener standing in for a forbidden target: it never accepts, so any connection that reaches it stays pending.</summary>
/// <remarks>A completed TCP handshake waits in the listen backlog, so <see cref="WasReached"/> sees even a connection nobody accepted.</remarks>
public sealed class ConnectionSentinel : IDisposable
{
    private readonly TcpListener _listener;

    public ConnectionSentinel(IPAddress address)
    {
        _listener = new TcpListener(address, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
    }

    public int Port { get; }

    public bool WasReached => _listener.Pending();

    public void Dispose() => _listener.Stop();
}
