using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Ratify.Connectors.Secrets;

namespace Ratify.Connectors.Tests.Secrets;

public sealed class CallRedactorTests
{
    private static readonly CallRedactor Redactor = new(
        new ConfigurationSecretStore(new ConfigurationBuilder()
            .AddInMemoryCollection([KeyValuePair.Create("Ratify:Secrets:KEY", (string?)"conf-secret")])
            .Build()),
        ["arg<secret>+1", null, "ab"]);

    [Fact]
    public void Apply_Success_RedactsOutputStringsAndPropertyNames()
    {
        var result = Redactor.Apply(ConnectorResult.Success(JsonNode.Parse("""
            {"a": "has conf-secret", "conf-secret": 1, "list": ["arg<secret>+1", 2, true], "ab": "ab"}
            """)));

        Assert.Equal("""{"a":"has ***","***":1,"list":["***",2,true],"ab":"ab"}""", result.Output!.ToJsonString());
    }

    [Fact]
    public void Apply_JsonArtifactWithEscapedSecret_IsRedacted()
    {
        // Serialisers escape '<', '>' and '+', so the secret is not found in the raw JSON text.
        var content = Encoding.UTF8.GetBytes("""{"v":"\u0061rg\u003Csecret\u003E\u002B1"}""");

        var result = Redactor.Apply(ConnectorResult.Success(null, [new ConnectorArtifact("a", "json", content)]));

        Assert.Equal("""{"v":"***"}""", Encoding.UTF8.GetString(result.Artifacts[0].Content.Span));
    }

    [Fact]
    public void Apply_TextArtifacts_AreRedactedAndBinaryOnesKept()
    {
        var text = new ConnectorArtifact("t", "text", Encoding.UTF8.GetBytes("x conf-secret"));
        var binary = new ConnectorArtifact("b", "image/png", new byte[] { 1, 2, 3 });

        var result = Redactor.Apply(ConnectorResult.Success(null, [text, binary]));

        Assert.Equal("x ***", Encoding.UTF8.GetString(result.Artifacts[0].Content.Span));
        Assert.Equal(new byte[] { 1, 2, 3 }, result.Artifacts[1].Content.ToArray());
    }

    [Fact]
    public void Apply_Failure_RedactsMessageAndDetails()
    {
        var result = Redactor.Apply(ConnectorResult.Failed(new ConnectorFailure(
            "x", "failed with conf-secret", Retryable: true, TimeSpan.FromSeconds(1), new JsonObject { ["body"] = "arg<secret>+1" })));

        Assert.Equal("failed with ***", result.Failure!.Message);
        Assert.Equal("""{"body":"***"}""", result.Failure.Details!.ToJsonString());
        Assert.True(result.Failure.Retryable);
        Assert.Equal(TimeSpan.FromSeconds(1), result.Failure.RetryAfter);
    }
}
