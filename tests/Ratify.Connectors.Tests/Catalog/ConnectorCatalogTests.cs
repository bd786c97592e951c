using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Ratify.Connectors.Outbound;
using Ratify.Connectors.Tests.Support;

namespace Ratify.Connectors.Tests.Catalog;

public sealed class ConnectorCatalogTests
{
    [Fact]
    public async Task AddRatifyConnectors_Default_RegistersTheBuiltInConnectors()
    {
        await using var host = new ConnectorHost(new Dictionary<string, string?>());

        Assert.Equal(["ai", "email", "http", "slack", "webhook"], host.Catalog.Names);
        Assert.Equal(5, host.Services.GetServices<IConnector>().Count());
    }

    [Fact]
    public async Task Find_OtherCase_ReturnsNull()
    {
        await using var host = new ConnectorHost(new Dictionary<string, string?>());

        Assert.Null(host.Catalog.Find("HTTP"));
        Assert.False(host.Catalog.TryGet("Http", out _));
        Assert.True(host.Catalog.TryGet("http", out var http));
        Assert.Equal("http", http.Name);
    }

    [Fact]
    public async Task Get_UnknownName_ThrowsListingKnownConnectors()
    {
        await using var host = new ConnectorHost(new Dictionary<string, string?>());

        var error = Assert.Throws<KeyNotFoundException>(() => host.Catalog.Get("crm"));

        Assert.Contains("'crm'", error.Message, StringComparison.Ordinal);
        Assert.Contains("http", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddSingleton_CustomConnector_AppearsInTheCatalog()
    {
        await using var host = new ConnectorHost(
            new Dictionary<string, string?>(), services => services.AddSingleton<IConnector>(new EchoConnector("crm")));

        var result = await host.Catalog.Get("crm").ExecuteAsync(host.Context(new JsonObject { ["x"] = 1 }), CancellationToken.None);

        Assert.Equal("""{"x":1}""", result.Output!.ToJsonString());
    }

    [Fact]
    public async Task AddSingleton_CustomConnectorNamedLikeABuiltIn_ReplacesIt()
    {
        var replacement = new EchoConnector("http");
        await using var host = new ConnectorHost(new Dictionary<string, string?>(), services => services.AddSingleton<IConnector>(replacement));

        Assert.Same(replacement, host.Catalog.Get("http"));
    }

    [Fact]
    public async Task OutboundOptions_BadAllowedHostsEntry_FailsNamingKeyAndEntry()
    {
        await using var host = new ConnectorHost(new Dictionary<string, string?> { ["Ratify:Outbound:AllowedHosts"] = "ok.example,[::1" });

        var error = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<OutboundOptions>>().Value);

        Assert.Contains("Ratify:Outbound:AllowedHosts", error.Message, StringComparison.Ordinal);
        Assert.Contains("[::1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OutboundOptions_FromConfiguration_AreBound()
    {
        await using var host = new ConnectorHost(new Dictionary<string, string?>
        {
            ["Ratify:Outbound:AllowedHosts"] = "a.example:8080",
            ["Ratify:Outbound:MaxRedirects"] = "2",
            ["Ratify:Outbound:ConnectTimeout"] = "00:00:03",
        });

        var options = host.Services.GetRequiredService<IOptions<OutboundOptions>>().Value;

        Assert.Equal(("a.example:8080", 2, TimeSpan.FromSeconds(3)), (options.AllowedHosts, options.MaxRedirects, options.ConnectTimeout));
    }

    private sealed class EchoConnector(string name) : IConnector
    {
        public string Name => name;

        public IReadOnlyList<ArgumentError> ValidateArguments(JsonObject arguments) => [];

        public SideEffect GetSideEffect(JsonObject arguments) => SideEffect.Read;

        public Task<ConnectorResult> ExecuteAsync(ConnectorContext context, CancellationToken cancellationToken) =>
            Task.FromResult(ConnectorResult.Success(context.Arguments.DeepClone()));
    }
}
