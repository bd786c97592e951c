using System.Text.Json.Nodes;

namespace Ratify.Connectors.Tests.Support;

/// <summary>Step arguments written as JSON text.</summary>
public static class Args
{
    public static JsonObject Of(string json) => JsonNode.Parse(json)!.AsObject();
}
