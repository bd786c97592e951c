using Ratify.Connectors.Tests.Support;

namespace Ratify.Connectors.Tests.Email;

public sealed class EmailConnectorValidationTests : IAsyncLifetime
{
    private ConnectorHost _host = null!;

    private IConnector Email => _host.Connector("email");

    public Task InitializeAsync()
    {
        _host = ConnectorHost.Allowing(null);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public void ValidateArguments_Empty_ReportsEveryRequiredField() =>
        Assert.Equal(["/host", "/from", "/to", "/subject", "/text"], Email.ValidateArguments(Args.Of("{}")).Select(e => e.Pointer));

    [Fact]
    public void ValidateArguments_BadLiterals_ReportsEach()
    {
        var errors = Email.ValidateArguments(Args.Of("""
            {"host": "smtp.example.com", "port": 70000, "tls": "ssl", "from": "not an address", "to": ["ok@example.com", 5],
             "cc": "also bad", "subject": "s", "html": "<p/>", "password": "p", "attachments": {}}
            """));

        Assert.Equal(["/port", "/tls", "/from", "/to", "/cc", "/attachments", "/username"], errors.Select(e => e.Pointer));
    }

    [Fact]
    public void ValidateArguments_TemplatedAddressesAndPort_Accepted() =>
        Assert.Empty(Email.ValidateArguments(Args.Of("""
            {"host": "{{input.smtp}}", "port": "{{input.port}}", "from": "{{input.from}}", "to": ["{{input.owner}}", "x@example.com"],
             "subject": "{{input.subject}}", "text": "t", "username": "u", "password": "{{secrets.SMTP_PASSWORD}}"}
            """)));

    [Fact]
    public void GetSideEffect_Always_Irreversible() =>
        Assert.Equal(SideEffect.Irreversible, Email.GetSideEffect(Args.Of("{}")));
}
