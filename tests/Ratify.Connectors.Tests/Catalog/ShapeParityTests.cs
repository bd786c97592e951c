using Ratify.Connectors.Tests.Support;

namespace Ratify.Connectors.Tests.Catalog;

/// <summary>
/// Whatever a connector refuses at run time for the shape of its arguments (not for their rendered values) is already refused
/// when the workflow is defined, at the same pointer or inside it: each case runs through both.
/// </summary>
public sealed class ShapeParityTests : IAsyncLifetime
{
    private ConnectorHost _host = null!;

    public Task InitializeAsync()
    {
        _host = ConnectorHost.Allowing(null);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Theory(Timeout = 30_000)]
    [MemberData(nameof(ShapeErrorCases.All), MemberType = typeof(ShapeErrorCases))]
    public async Task A_shape_the_run_time_refuses_is_refused_at_definition_time_at_the_same_place(string name, string arguments, string pointer)
    {
        var connector = _host.Connector(name);

        var atRunTime = await connector.ExecuteAsync(_host.Context(Args.Of(arguments)), CancellationToken.None);
        var atDefinition = connector.ValidateArguments(Args.Of(arguments));

        Assert.True(atRunTime.Failure is { Code: "invalid_arguments" }, $"{name}: the run time did not refuse the shape ({atRunTime.Failure?.Code})");
        Assert.Equal(pointer, atRunTime.Failure!.Details?["pointer"]?.GetValue<string>());
        Assert.Contains(atDefinition, e => e.Pointer == pointer || e.Pointer.StartsWith(pointer + "/", StringComparison.Ordinal));
    }
}
