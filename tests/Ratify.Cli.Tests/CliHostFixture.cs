using Ratify.Functions.Tests;
using Ratify.Testing;

namespace Ratify.Cli.Tests;

/// <summary>One real Azurite and one real Ratify host served over Kestrel on a loopback port, shared by the CLI tests.</summary>
/// <remarks>Each test isolates itself with its own workflow ids; the host, like production, serves them all.</remarks>
public sealed class CliHostFixture : IAsyncLifetime
{
    /// <summary>The approval link signing key the host uses (32 bytes, base64).</summary>
    private const string SigningKey = "cmF0aWZ5LWNsaS10ZXN0LXNpZ25pbmcta2V5LTMyYnk=";

    private readonly AzuriteFixture _azurite = new();
    private RatifyApiFactory? _host;

    /// <summary>The host's base URL (http://127.0.0.1:port).</summary>
    public string Url { get; private set; } = "";

    /// <summary>The bootstrap admin key of tenant <c>default</c>.</summary>
    public string AdminKey => _host?.BootstrapAdminKey ?? throw new InvalidOperationException("The host has not started.");

    public async Task InitializeAsync()
    {
        await _azurite.InitializeAsync();
        _host = new RatifyApiFactory(_azurite, new Dictionary<string, string?>
        {
            ["Ratify:Approvals:SigningKeys:test"] = SigningKey,
        });
        Url = RatifyApiFactory.ServeOverLoopback(_host);
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        await _azurite.DisposeAsync();
    }
}
