using Ratify.Connectors.Tests.Support;

namespace Ratify.Connectors.Tests.Ai;

public sealed class AiConnectorValidationTests : IAsyncLifetime
{
    private ConnectorHost _host = null!;

    private IConnector Ai => _host.Connector("ai");

    public Task InitializeAsync()
    {
        _host = ConnectorHost.Allowing(null, ("Ratify:Ai:Prices:priced:InputCentsPer1KTokens", "1"));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public void ValidateArguments_Empty_ReportsRequiredFields() =>
        Assert.Equal(["/baseUrl", "/model", "/messages"], Ai.ValidateArguments(Args.Of("{}")).Select(e => e.Pointer));

    [Fact]
    public void ValidateArguments_BadMessagesAndNumbers_ReportsEach()
    {
        var errors = Ai.ValidateArguments(Args.Of("""
            {"baseUrl": "https://api.example.com/v1", "model": "m", "temperature": 3, "maxTokens": 0, "responseSchema": "x",
             "messages": [{"role": "robot", "content": "x"}, {"role": "user"}, "{{steps.a.output.message}}"]}
            """));

        Assert.Equal(
            ["/messages/0/role", "/messages/1/content", "/temperature", "/maxTokens", "/responseSchema"],
            errors.Select(e => e.Pointer));
    }

    [Fact]
    public void ValidateArguments_BudgetForUnpricedModel_NamesTheConfigurationKey()
    {
        var error = Assert.Single(Ai.ValidateArguments(Args.Of("""
            {"baseUrl": "https://x/v1", "model": "cheap", "budgetCents": 2, "messages": [{"role": "user", "content": "x"}]}
            """)));

        Assert.Equal("/budgetCents", error.Pointer);
        Assert.Contains("Ratify:Ai:Prices:cheap", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateArguments_BudgetForPricedModel_Accepted() =>
        Assert.Empty(Ai.ValidateArguments(Args.Of("""
            {"baseUrl": "https://x/v1", "model": "PRICED", "budgetCents": 2, "messages": [{"role": "user", "content": [{"type": "text", "text": "x"}]}]}
            """)));

    [Fact]
    public void GetSideEffect_Always_Read() => Assert.Equal(SideEffect.Read, Ai.GetSideEffect(Args.Of("{}")));
}
