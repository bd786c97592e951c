using System.Text.Json.Nodes;

namespace Ratify.Functions.Workflows;

/// <summary>Checks a step's retry, timeout and failure policies.</summary>
internal sealed class PolicyChecker(List<DefinitionError> errors)
{
    private static readonly string[] RetryProperties = ["maxAttempts", "backoff", "initialInterval", "maxInterval", "backoffCoefficient"];

    public void Check(JsonObject step, string pointer)
    {
        if (step["timeout"] is { } timeout)
        {
            if (JsonChecks.IsString(timeout, out var text))
            {
                DurationCheck.Check(text, pointer + "/timeout", WorkflowLimits.MaxTimeout, errors);
            }
            else
            {
                Error(pointer + "/timeout", $"timeout must be an ISO 8601 duration string such as PT30S, not {JsonChecks.Describe(timeout)}");
            }
        }

        if (step["onFailure"] is { } onFailure && !(JsonChecks.IsString(onFailure, out var policy) && policy is "fail" or "continue"))
        {
            Error(pointer + "/onFailure", "onFailure must be \"fail\" or \"continue\"");
        }

        if (step.TryGetPropertyValue("retry", out var retry) && retry is not null)
        {
            CheckRetry(retry, pointer + "/retry");
        }
    }

    private void CheckRetry(JsonNode node, string pointer)
    {
        if (node is not JsonObject retry)
        {
            Error(pointer, $"retry must be an object such as {{\"maxAttempts\": 3}}, not {JsonChecks.Describe(node)}");
            return;
        }

        JsonChecks.RejectUnknown(retry, pointer, RetryProperties, errors);
        if (!JsonChecks.IsInteger(retry["maxAttempts"], out var attempts) || attempts < 1 || attempts > WorkflowLimits.MaxRetryAttempts)
        {
            Error(pointer + "/maxAttempts", $"maxAttempts must be a whole number from 1 to {WorkflowLimits.MaxRetryAttempts} (the first attempt included)");
        }

        if (retry["backoff"] is { } backoff && !(JsonChecks.IsString(backoff, out var kind) && kind is "fixed" or "exponential"))
        {
            Error(pointer + "/backoff", "backoff must be \"fixed\" or \"exponential\"");
        }

        var initial = Interval(retry, "initialInterval", pointer);
        var max = Interval(retry, "maxInterval", pointer);
        if (initial is not null && max is not null && max < initial)
        {
            Error(pointer + "/maxInterval", "maxInterval must not be shorter than initialInterval");
        }

        if (retry["backoffCoefficient"] is { } coefficient
            && !(JsonChecks.IsNumber(coefficient, out var factor) && factor >= 1 && factor <= WorkflowLimits.MaxBackoffCoefficient))
        {
            Error(pointer + "/backoffCoefficient", $"backoffCoefficient must be a number from 1 to {WorkflowLimits.MaxBackoffCoefficient}");
        }
    }

    private TimeSpan? Interval(JsonObject retry, string name, string pointer)
    {
        if (retry[name] is not { } node)
        {
            return null;
        }

        if (!JsonChecks.IsString(node, out var text))
        {
            Error(pointer + "/" + name, $"{name} must be an ISO 8601 duration string such as PT2S, not {JsonChecks.Describe(node)}");
            return null;
        }

        return DurationCheck.Check(text, pointer + "/" + name, WorkflowLimits.MaxRetryInterval, errors);
    }

    private void Error(string pointer, string message) => errors.Add(new DefinitionError(pointer, message));
}
