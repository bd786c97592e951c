using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Ratify.Connectors;
using Ratify.Connectors.Tests.Catalog;
using Ratify.Functions.Workflows;

namespace Ratify.Functions.Tests.Workflows;

/// <summary>
/// Every shape the built-in connectors refuse at run time (the shared cases, each also run through the connector in its own
/// tests) is a definition error at the step's <c>with</c> pointer when a workflow using it is defined.
/// </summary>
public sealed class ConnectorShapeDefinitionTests
{
    private static readonly Lazy<WorkflowDefinitionParser> Parser = new(() =>
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([]).Build();
        var services = new ServiceCollection().AddRatifyConnectors(configuration).BuildServiceProvider();
        return new WorkflowDefinitionParser(services.GetServices<IConnector>());
    });

    [Theory]
    [MemberData(nameof(ShapeErrorCases.All), MemberType = typeof(ShapeErrorCases))]
    public void A_shape_a_connector_refuses_at_run_time_is_refused_when_the_workflow_is_defined(string connector, string arguments, string pointer)
    {
        var definition = new JsonObject
        {
            ["id"] = "wf",
            ["name"] = "Shape",
            ["steps"] = new JsonArray(new JsonObject { ["id"] = "call", ["connector"] = connector, ["with"] = JsonNode.Parse(arguments) }),
        };

        var result = Parser.Value.Parse(definition);

        var expected = "/steps/0/with" + pointer;
        Assert.Null(result.Definition);
        Assert.Contains(result.Errors, e => e.Pointer == expected || e.Pointer.StartsWith(expected + "/", StringComparison.Ordinal));
    }
}
