using Microsoft.Extensions.Configuration;
using Ratify.Connectors.Secrets;

namespace Ratify.Connectors.Tests.Secrets;

public sealed class ConfigurationSecretStoreTests
{
    private static ConfigurationSecretStore Store(params (string Name, string Value)[] secrets) =>
        new(new ConfigurationBuilder()
            .AddInMemoryCollection(secrets.Select(s => KeyValuePair.Create($"Ratify:Secrets:{s.Name}", (string?)s.Value)))
            .Build());

    [Fact]
    public void Get_ConfiguredName_ReturnsValue() =>
        Assert.Equal("xoxb-1", Store(("SLACK_TOKEN", "xoxb-1")).Get("SLACK_TOKEN"));

    [Fact]
    public void Get_UnknownOrEmptyName_ReturnsNull()
    {
        var store = Store(("A", "value"));

        Assert.Null(store.Get("B"));
        Assert.Null(store.Get(""));
    }

    [Fact]
    public void Get_EnvironmentVariable_IsReadThroughConfiguration()
    {
        var name = "T" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable($"Ratify__Secrets__{name}", "from-env-1");
        try
        {
            var configuration = new ConfigurationBuilder().AddEnvironmentVariables().Build();

            Assert.Equal("from-env-1", new ConfigurationSecretStore(configuration).Get(name));
        }
        finally
        {
            Environment.SetEnvironmentVariable($"Ratify__Secrets__{name}", null);
        }
    }

    [Fact]
    public void Redact_EveryOccurrenceOfEverySecret_IsReplaced() =>
        Assert.Equal(
            "token *** and *** again ***",
            Store(("A", "abcd1234"), ("B", "zz-top")).Redact("token abcd1234 and zz-top again abcd1234"));

    [Fact]
    public void Redact_ShortOrEmptyValues_AreLeftAlone() =>
        Assert.Equal("a 123 b", Store(("SHORT", "123"), ("EMPTY", "")).Redact("a 123 b"));

    [Fact]
    public void Redact_SecretContainingAnother_IsReplacedWhole() =>
        Assert.Equal("x *** y", Store(("INNER", "pass"), ("OUTER", "password99")).Redact("x password99 y"));

    [Fact]
    public void Redact_NoSecretsConfigured_ReturnsTextUnchanged() =>
        Assert.Equal("nothing here", Store().Redact("nothing here"));
}
