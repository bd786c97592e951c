using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Ratify.Connectors.Tests.Support;

/// <summary>The connectors as the app would get them: <c>AddRatifyConnectors</c> over an in-memory configuration.</summary>
public sealed class ConnectorHost : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    public ConnectorHost(IDictionary<string, string?> settings, Action<IServiceCollection>? configure = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddRatifyConnectors(configuration);
        configure?.Invoke(services);
        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    /// <summary>A host whose allow-list is exactly <paramref name="allowedHosts"/>, plus any other settings.</summary>
    public static ConnectorHost Allowing(string? allowedHosts, params (string Key, string? Value)[] settings)
    {
        var all = settings.ToDictionary(s => s.Key, s => s.Value);
        all["Ratify:Outbound:AllowedHosts"] = allowedHosts;
        return new ConnectorHost(all);
    }

    public ConnectorCatalog Catalog => _services.GetRequiredService<ConnectorCatalog>();

    public ISecretStore Secrets => _services.GetRequiredService<ISecretStore>();

    public IServiceProvider Services => _services;

    public IConnector Connector(string name) => Catalog.Get(name);

    /// <summary>A context for attempt <paramref name="attempt"/> of step <c>step1</c> of run <c>run1</c>.</summary>
    public ConnectorContext Context(JsonObject arguments, IArtifactReader? artifacts = null, int attempt = 1) =>
        new(arguments, "run1", "step1", attempt, "run1:step1", Secrets, artifacts ?? new InMemoryArtifacts());

    /// <summary>Runs connector <paramref name="name"/> with <paramref name="arguments"/>.</summary>
    public Task<ConnectorResult> ExecuteAsync(string name, JsonObject arguments, CancellationToken cancellationToken, IArtifactReader? artifacts = null) =>
        Connector(name).ExecuteAsync(Context(arguments, artifacts), cancellationToken);

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
