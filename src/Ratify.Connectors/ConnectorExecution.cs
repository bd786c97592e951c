using System.Text.Json.Nodes;
using Ratify.Connectors.Arguments;
using Ratify.Connectors.Secrets;

namespace Ratify.Connectors;

/// <summary>What every built-in connector does around its call: bad rendered arguments become a failure, and the result is redacted.</summary>
internal static class ConnectorExecution
{
    /// <summary>Runs <paramref name="call"/>, then removes secrets and the given sensitive argument values from its result.</summary>
    public static async Task<ConnectorResult> RunAsync(
        ConnectorContext context, IEnumerable<string?> sensitiveValues, Func<Task<ConnectorResult>> call)
    {
        var redactor = new CallRedactor(context.Secrets, sensitiveValues);
        ConnectorResult result;
        try
        {
            result = await call().ConfigureAwait(false);
        }
        catch (ConnectorArgumentException e)
        {
            result = ConnectorResult.Failed(new ConnectorFailure(
                "invalid_arguments", e.Message, Retryable: false, Details: new JsonObject { ["pointer"] = e.Pointer }));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // An unexpected error still leaves as a failure, so that its message goes through redaction.
            result = ConnectorResult.Failed(new ConnectorFailure(
                "connector_error", $"{e.GetType().Name}: {e.Message}", Retryable: false));
        }

        return redactor.Apply(result);
    }
}
