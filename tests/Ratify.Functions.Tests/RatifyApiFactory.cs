using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Ratify.Functions.Security;
using Ratify.Functions.Telemetry;
using Ratify.Testing;

namespace Ratify.Functions.Tests;

/// <summary>The real app in memory against a real storage account, isolated in its own task hub, with a bootstrap admin key.</summary>
public sealed class RatifyApiFactory : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;

    /// <summary>The app on <paramref name="azurite"/>, in a fresh task hub.</summary>
    public RatifyApiFactory(AzuriteFixture azurite, IReadOnlyDictionary<string, string?>? settings = null)
        : this(azurite?.ConnectionString ?? throw new ArgumentNullException(nameof(azurite)), TestNames.NewHub(), settings)
    {
    }

    /// <summary>The app on any storage account and hub; <paramref name="settings"/> adds or overrides configuration keys.</summary>
    public RatifyApiFactory(string storageConnectionString, string hubName, IReadOnlyDictionary<string, string?>? settings = null)
    {
        StorageConnectionString = storageConnectionString;
        HubName = hubName;
        BootstrapAdminKey = ApiKeySecret.Generate();
        _settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["AzureWebJobsStorage"] = storageConnectionString,
            ["extensions:durableTask:hubName"] = hubName,
            ["Ratify:BootstrapAdminKey"] = BootstrapAdminKey,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }
    }

    /// <summary>The storage connection string the app uses.</summary>
    public string StorageConnectionString { get; }

    /// <summary>The task hub the app uses (its tables are <c>{HubName}Keys</c> and so on).</summary>
    public string HubName { get; }

    /// <summary>The bootstrap admin key (tenant <c>default</c>).</summary>
    public string BootstrapAdminKey { get; }

    /// <summary>A client that sends <c>Authorization: Bearer {apiKey}</c>.</summary>
    public HttpClient CreateClient(string apiKey)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        return client;
    }

    /// <summary>A client authenticated with the bootstrap admin key.</summary>
    public HttpClient CreateAdminClient() => CreateClient(BootstrapAdminKey);

    /// <summary>Serves <paramref name="factory"/>'s host over Kestrel (for a browser or a CLI) and returns its base URL.</summary>
    /// <remarks>
    /// The endpoint overrides the host's default URL (port 7071, which another process or test may hold) with port 0 on
    /// loopback, which the system picks at bind time, so tests running in parallel never race for a port.
    /// </remarks>
    public static string ServeOverLoopback(WebApplicationFactory<Program> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        factory.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        factory.StartServer();
        var addresses = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        return addresses.Single().TrimEnd('/');
    }

    /// <inheritdoc />
    protected override IHost CreateHost(IHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);

        // Telemetry is registered only when configured, so Program reads its settings before the host is built: those go
        // in as host configuration as well, which Program sees at once (the rest arrive at build, below).
        var early = _settings.Where(s => s.Key.StartsWith(TelemetryOptions.SectionName, StringComparison.OrdinalIgnoreCase));
        builder.ConfigureHostConfiguration(configuration => configuration.AddInMemoryCollection(early));
        return base.CreateHost(builder);
    }

    /// <inheritdoc />
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseEnvironment("Development");

        // Added last, so these win over host.json, local.settings.json and the environment.
        builder.ConfigureAppConfiguration((_, configuration) => configuration.AddInMemoryCollection(_settings));
    }
}
