using Ratify.Connectors.Tests.Support;

namespace Ratify.Connectors.Tests.Http;

public sealed class HttpConnectorValidationTests : IAsyncLifetime
{
    private ConnectorHost _host = null!;

    private IConnector Http => _host.Connector("http");

    public Task InitializeAsync()
    {
        _host = ConnectorHost.Allowing(null);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public void ValidateArguments_ValidCall_ReturnsNoErrors() =>
        Assert.Empty(Http.ValidateArguments(Args.Of("""
            {"method": "POST", "url": "https://api.example.com/x", "headers": {"A": "b"}, "query": {"q": [1, 2]},
             "body": {"any": ["json"]}, "timeout": 5, "sideEffect": "idempotent"}
            """)));

    [Fact]
    public void ValidateArguments_MissingMethodAndUrl_ReportsBoth()
    {
        var errors = Http.ValidateArguments(Args.Of("{}"));

        Assert.Equal(["/method", "/url"], errors.Select(e => e.Pointer));
    }

    [Fact]
    public void ValidateArguments_BadLiterals_ReportsEachWithItsPointer()
    {
        var errors = Http.ValidateArguments(Args.Of("""
            {"method": "FETCH", "url": "ftp://x/y", "headers": {"A": {"b": 1}}, "query": 3, "timeout": "soon", "sideEffect": "maybe", "extra": 1}
            """));

        Assert.Equal(
            ["/extra", "/method", "/url", "/headers/A", "/query", "/timeout", "/sideEffect"],
            errors.Select(e => e.Pointer));
    }

    [Fact]
    public void ValidateArguments_TemplatedValues_AreAcceptedAnywhere() =>
        Assert.Empty(Http.ValidateArguments(Args.Of("""
            {"method": "{{input.method}}", "url": "{{input.url}}", "headers": "{{steps.a.output}}", "timeout": "{{input.t}}",
             "query": {"id": "{{input.id}}"}, "sideEffect": "{{input.effect}}"}
            """)));

    [Theory]
    [InlineData("GET", SideEffect.Read)]
    [InlineData("head", SideEffect.Read)]
    [InlineData("OPTIONS", SideEffect.Read)]
    [InlineData("PUT", SideEffect.Idempotent)]
    [InlineData("DELETE", SideEffect.Idempotent)]
    [InlineData("POST", SideEffect.Irreversible)]
    [InlineData("PATCH", SideEffect.Irreversible)]
    [InlineData("{{input.method}}", SideEffect.Irreversible)]
    public void GetSideEffect_ByMethod_FollowsHttpSemantics(string method, SideEffect expected) =>
        Assert.Equal(expected, Http.GetSideEffect(Args.Of($$"""{"method": "{{method}}", "url": "https://x"}""")));

    [Theory]
    [InlineData("POST", "read", SideEffect.Read)]
    [InlineData("POST", "idempotent", SideEffect.Idempotent)]
    [InlineData("GET", "irreversible", SideEffect.Irreversible)]
    public void GetSideEffect_Override_WinsOverTheMethod(string method, string declared, SideEffect expected) =>
        Assert.Equal(expected, Http.GetSideEffect(Args.Of($$"""{"method": "{{method}}", "url": "https://x", "sideEffect": "{{declared}}"}""")));
}
