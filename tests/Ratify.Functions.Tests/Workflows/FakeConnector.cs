using System.Text.Json.Nodes;
using Ratify.Connectors;

namespace Ratify.Functions.Tests.Workflows;

/// <summary>A connector that only validates: it requires <c>url</c>, as the real HTTP connector does.</summary>
internal sealed class FakeConnector(string name) : IConnector
{
    public string Name => name;

    public IReadOnlyList<ArgumentError> ValidateArguments(JsonObject arguments) =>
        arguments["url"] is null ? [new ArgumentError("/url", "url is required")] : [];

    public SideEffect GetSideEffect(JsonObject arguments) => SideEffect.Read;

    public Task<ConnectorResult> ExecuteAsync(ConnectorContext context, CancellationToken cancellationToken) =>
        throw new NotSupportedException("validation only");
}
