using System.Text.Json.Nodes;

namespace Ratify.Functions.Workflows;

/// <summary>A workflow as submitted: id, name, input schema, triggers and steps.</summary>
public sealed record WorkflowDefinition
{
    /// <summary>The id, unique per tenant (<c>^[a-z][a-z0-9_-]{0,62}$</c>).</summary>
    public required string Id { get; init; }

    /// <summary>A display name.</summary>
    public required string Name { get; init; }

    /// <summary>What the workflow is for.</summary>
    public string? Description { get; init; }

    /// <summary>The JSON Schema every run's input must satisfy; any input when absent.</summary>
    public JsonObject? InputSchema { get; init; }

    /// <summary>Cron and webhook triggers as written; <c>TriggerReader</c> reads them typed.</summary>
    public JsonArray? Triggers { get; init; }

    /// <summary>The steps, in the order they were written.</summary>
    public required IReadOnlyList<StepDefinition> Steps { get; init; }
}
