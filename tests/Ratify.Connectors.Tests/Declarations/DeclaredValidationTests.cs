using System.Text.Json.Nodes;
using Ratify.Connectors.Declarations;
using Ratify.Connectors.Tests.Support;

namespace Ratify.Connectors.Tests.Declarations;

/// <summary>What the declarations say is what definition-time validation enforces: every required argument, every name, every shape.</summary>
public sealed class DeclaredValidationTests : IAsyncLifetime
{
    private ConnectorHost _host = null!;

    public static TheoryData<string> Names => [.. BuiltInConnectorDeclarations.All.Select(d => d.Name)];

    public Task InitializeAsync()
    {
        _host = ConnectorHost.Allowing(null);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [MemberData(nameof(Names))]
    public void Every_declared_required_argument_is_reported_when_missing(string name)
    {
        var connector = _host.Connector(name);

        var pointers = connector.ValidateArguments([]).Select(e => e.Pointer).ToList();

        foreach (var argument in connector.Declaration.Arguments.Fields.Where(f => f.Required))
        {
            Assert.Contains("/" + argument.Name, pointers);
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void An_undeclared_argument_is_refused_and_every_declared_one_is_known(string name)
    {
        var connector = _host.Connector(name);
        var arguments = new JsonObject { ["notDeclared"] = 1 };
        foreach (var argument in connector.Declaration.Arguments.Fields)
        {
            arguments[argument.Name] = "{{input.value}}";
        }

        var errors = connector.ValidateArguments(arguments);

        var error = Assert.Single(errors, e => e.Pointer == "/notDeclared");
        Assert.StartsWith("unknown argument 'notDeclared'; expected one of: ", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(errors, e => e.Message.StartsWith("unknown", StringComparison.Ordinal) && e.Pointer != "/notDeclared");
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void A_literal_of_the_wrong_type_is_refused_at_its_pointer_for_every_typed_argument(string name)
    {
        var connector = _host.Connector(name);
        foreach (var argument in connector.Declaration.Arguments.Fields.Where(f => f.Shape != ValueShape.Any))
        {
            // An array of arrays is no argument's shape.
            var errors = connector.ValidateArguments(new JsonObject { [argument.Name] = new JsonArray(new JsonArray(new JsonArray())) });

            Assert.Contains(errors, e => e.Pointer.StartsWith("/" + argument.Name, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void The_arguments_schema_refuses_unknown_names_and_accepts_templates_below_the_top()
    {
        var schema = BuiltInConnectorDeclarations.All.Single(d => d.Name == "email").ArgumentsSchema();

        Assert.False(schema["additionalProperties"]!.GetValue<bool>());
        Assert.Equal(["host", "from", "to", "subject"], schema["required"]!.AsArray().Select(n => n!.GetValue<string>()));
        var port = schema["properties"]!["port"]!;
        Assert.Equal("integer", port["anyOf"]![0]!["type"]!.GetValue<string>());
        Assert.Equal("\\{\\{", port["anyOf"]![1]!["pattern"]!.GetValue<string>());
    }
}
