using System.Net;
using System.Net.Sockets;
using Ratify.Functions.Hosting;
using Ratify.Functions.Tests.Http;
using Ratify.Testing;

namespace Ratify.Functions.Tests.Hosting;

/// <summary>The host that browser and CLI tests serve over Kestrel never needs the default port.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class LoopbackServingTests(AzuriteFixture azurite) : ApiTestBase(azurite)
{
    [Fact(Timeout = 60_000)]
    public async Task A_host_served_for_a_browser_starts_while_another_process_holds_port_7071()
    {
        var defaultPort = new Uri(FunctionsHostConfiguration.DefaultUrls).Port;
        using var holder = HoldOrNull(defaultPort);

        var baseUrl = RatifyApiFactory.ServeOverLoopback(Api);

        var served = new Uri(baseUrl);
        Assert.Equal(IPAddress.Loopback.ToString(), served.Host);
        Assert.NotEqual(defaultPort, served.Port);
        using var client = new HttpClient();
        using var response = await client.GetAsync(baseUrl + "/healthz", Timeout);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    // Null when something else holds the port already, which is the case under test as well.
    private static TcpListener? HoldOrNull(int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        try
        {
            listener.Start();
            return listener;
        }
        catch (SocketException)
        {
            listener.Dispose();
            return null;
        }
    }
}
