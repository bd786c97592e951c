using System.Text.Json.Nodes;
using Ratify.Functions.Workflows;

namespace Ratify.Functions.Triggers;

/// <summary>Reads the typed triggers of a definition that passed validation.</summary>
public static class TriggerReader
{
    /// <summary>The cron triggers, with their defaults filled in (zone UTC, catch-up skipped, overlap skipped).</summary>
    public static IReadOnlyList<CronTrigger> Cron(WorkflowDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return [.. Of(definition, "cron").Select(t => new CronTrigger(
            t.Index,
            t.Trigger["schedule"]!.GetValue<string>(),
            t.Trigger["timeZone"]?.GetValue<string>() ?? "UTC",
            t.Trigger["input"]?.DeepClone(),
            t.Trigger["catchUp"] is JsonValue v && v.TryGetValue<int>(out var bound) ? bound : 0,
            t.Trigger["overlap"]?.GetValue<string>() ?? CronTrigger.OverlapSkip))];
    }

    /// <summary>The webhook triggers.</summary>
    public static IReadOnlyList<WebhookTrigger> Webhooks(WorkflowDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return [.. Of(definition, "webhook").Select(t => new WebhookTrigger(
            t.Index,
            TriggerChecker.SecretName(t.Trigger["secret"]!.GetValue<string>())!,
            t.Trigger["input"]?.DeepClone()))];
    }

    private static IEnumerable<(int Index, JsonObject Trigger)> Of(WorkflowDefinition definition, string type) =>
        (definition.Triggers ?? [])
            .Select((node, index) => (Index: index, Trigger: node as JsonObject))
            .Where(t => t.Trigger?["type"] is JsonValue value && value.TryGetValue<string>(out var name) && name == type)
            .Select(t => (t.Index, t.Trigger!));
}
