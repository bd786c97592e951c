using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Ratify.Connectors;

namespace Ratify.Functions.Tests.Orchestration;

/// <summary>
/// A custom connector registered through DI, as users write them: <c>with.failTimes</c> retryable failures
/// first, <c>with.hang</c> never answers (until cancelled), <c>with.sleepMs</c> answers late ignoring cancellation,
/// <c>with.fatal</c> fails for good (with <c>with.message</c> when given); otherwise it echoes its arguments, and its
/// <c>note</c> artifact holds <c>with.note</c> (or "called"). <c>with.sleepFirstMs</c> makes only the first call answer late
/// (ignoring cancellation); <c>with.sideEffect</c> (read, idempotent, irreversible) is its declared side effect, idempotent by
/// default; every call's start and end are kept in <see cref="Spans"/>.
/// </summary>
internal sealed class ScriptedConnector : IConnector
{
    public static readonly ConcurrentDictionary<string, int> Calls = new();

    public static readonly ConcurrentDictionary<string, ConcurrentQueue<(int Attempt, DateTimeOffset Start, DateTimeOffset End)>> Spans = new();

    public string Name => "scripted";

    public IReadOnlyList<ArgumentError> ValidateArguments(JsonObject arguments) => [];

    public SideEffect GetSideEffect(JsonObject arguments) => arguments["sideEffect"]?.GetValue<string>() switch
    {
        "read" => SideEffect.Read,
        "irreversible" => SideEffect.Irreversible,
        _ => SideEffect.Idempotent,
    };

    public async Task<ConnectorResult> ExecuteAsync(ConnectorContext context, CancellationToken cancellationToken)
    {
        var start = DateTimeOffset.UtcNow;
        try
        {
            return await CallAsync(context, cancellationToken);
        }
        finally
        {
            Spans.GetOrAdd(context.IdempotencyKey, _ => new()).Enqueue((context.Attempt, start, DateTimeOffset.UtcNow));
        }
    }

    private static async Task<ConnectorResult> CallAsync(ConnectorContext context, CancellationToken cancellationToken)
    {
        var calls = Calls.AddOrUpdate(context.IdempotencyKey, 1, (_, n) => n + 1);
        var arguments = context.Arguments;
        if (arguments["hang"]?.GetValue<bool>() == true)
        {
            await Task.Delay(TimeSpan.FromMinutes(5), cancellationToken);
        }

        if (arguments["sleepMs"]?.GetValue<int>() is { } sleep)
        {
            // A connector that does not honour cancellation: its answer arrives after the step's timeout.
            await Task.Delay(sleep, CancellationToken.None);
        }

        if (calls == 1 && arguments["sleepFirstMs"]?.GetValue<int>() is { } first)
        {
            await Task.Delay(first, CancellationToken.None);
        }

        if (arguments["fatal"]?.GetValue<bool>() == true)
        {
            return ConnectorResult.Failed(new ConnectorFailure("bad_request", arguments["message"]?.GetValue<string>() ?? "the remote side refused", Retryable: false));
        }

        if (calls <= (arguments["failTimes"]?.GetValue<int>() ?? 0))
        {
            return ConnectorResult.Failed(new ConnectorFailure("http_status", $"attempt {calls} got 503", Retryable: true));
        }

        return ConnectorResult.Success(
            new JsonObject { ["echo"] = arguments.DeepClone(), ["calls"] = calls },
            [new ConnectorArtifact("note", "text", System.Text.Encoding.UTF8.GetBytes(arguments["note"]?.GetValue<string>() ?? "called"))]);
    }
}
