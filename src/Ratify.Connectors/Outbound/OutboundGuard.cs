using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Ratify.Connectors.Outbound;

/// <summary>Resolves a host itself, refuses internal addresses unless allow-listed, and connects to the address it checked.</summary>
/// <remarks>
/// Connecting to the checked address (instead of handing the name to the socket layer) pins the
/// connection, so a DNS answer that changes between the check and the connect cannot redirect it.
/// </remarks>
public sealed partial class OutboundGuard
{
    private readonly AllowList _allowList;
    private readonly ILogger<OutboundGuard> _logger;
    private readonly Func<string, CancellationToken, Task<IPAddress[]>> _resolve;

    /// <summary>Creates the guard from the outbound options.</summary>
    public OutboundGuard(IOptions<OutboundOptions> options, ILogger<OutboundGuard> logger)
        : this(options, logger, Dns.GetHostAddressesAsync)
    {
    }

    /// <summary>Creates the guard with its own name resolution (tests use it to make names resolve to chosen addresses).</summary>
    internal OutboundGuard(IOptions<OutboundOptions> options, ILogger<OutboundGuard> logger, Func<string, CancellationToken, Task<IPAddress[]>> resolve)
    {
        _allowList = AllowList.Parse(options.Value.AllowedHosts);
        _logger = logger;
        _resolve = resolve;
    }

    /// <summary>Checks <paramref name="host"/> and returns a socket connected to one of its permitted addresses.</summary>
    /// <exception cref="OutboundBlockedException">The host or one of its addresses is internal and not allow-listed.</exception>
    public async Task<Socket> ConnectAsync(string host, int port, CancellationToken cancellationToken)
    {
        var addresses = await ResolveAsync(host, port, cancellationToken).ConfigureAwait(false);
        SocketException? last = null;
        foreach (var address in addresses)
        {
            var target = AllowList.Normalize(address);
            var socket = new Socket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(target, port), cancellationToken).ConfigureAwait(false);
                return socket;
            }
            catch (SocketException e)
            {
                // Try the next address (e.g. IPv4 after an unreachable IPv6 one).
                socket.Dispose();
                last = e;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw last ?? new SocketException((int)SocketError.HostNotFound);
    }

    /// <summary>The addresses of <paramref name="host"/> that may be reached on <paramref name="port"/>.</summary>
    /// <exception cref="OutboundBlockedException">The host or any of its addresses is refused.</exception>
    public async Task<IReadOnlyList<IPAddress>> ResolveAsync(string host, int port, CancellationToken cancellationToken)
    {
        var name = Unbracket(host);
        var hostAllowed = _allowList.AllowsHost(name, port);
        if (!hostAllowed && AddressPolicy.WhyRefused(name) is { } nameReason)
        {
            throw Refuse(host, $"it is {nameReason}");
        }

        IPAddress[] addresses = IPAddress.TryParse(name, out var literal)
            ? [literal]
            : await _resolve(name, cancellationToken).ConfigureAwait(false);

        if (hostAllowed)
        {
            return addresses;
        }

        // One internal address is enough to refuse: the name points inside the network.
        foreach (var address in addresses)
        {
            if (AddressPolicy.WhyRefused(address) is { } reason && !_allowList.AllowsAddress(address, port))
            {
                var shown = address.ToString() == name ? "it is" : $"it resolves to {address},";
                throw Refuse(host, $"{shown} {reason}");
            }
        }

        return addresses;
    }

    private OutboundBlockedException Refuse(string host, string reason)
    {
        LogRefused(host, reason);
        return new OutboundBlockedException(host, reason);
    }

    // The connection layer hands IPv6 literals in brackets and with an escaped zone.
    private static string Unbracket(string host)
    {
        var name = host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
        return name.Replace("%25", "%", StringComparison.Ordinal);
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Outbound call to {Host} refused: {Reason}")]
    private partial void LogRefused(string host, string reason);
}
