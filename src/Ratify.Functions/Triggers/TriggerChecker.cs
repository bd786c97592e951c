using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Ratify.Functions.Workflows;

namespace Ratify.Functions.Triggers;

/// <summary>Checks a definition's <c>triggers</c>: cron expressions and zones, catch-up and overlap, webhook secrets and input templates.</summary>
internal sealed partial class TriggerChecker(List<DefinitionError> errors)
{
    /// <summary>Most triggers in one workflow.</summary>
    public const int MaxTriggers = 20;

    /// <summary>The longest cron <c>input</c>, in characters of JSON (it is kept in the schedule's table row).</summary>
    public const int MaxCronInputLength = 3000;

    /// <summary>The largest <c>catchUp</c> bound.</summary>
    public const int MaxCatchUp = 100;

    private static readonly string[] CronProperties = ["type", "schedule", "timeZone", "input", "catchUp", "overlap"];
    private static readonly string[] WebhookProperties = ["type", "secret", "input"];
    private static readonly string[] Overlaps = [CronTrigger.OverlapSkip, CronTrigger.OverlapAllow];

    public void Check(JsonNode? node, JsonObject? inputSchema, bool schemaValid)
    {
        if (node is null)
        {
            return;
        }

        if (node is not JsonArray triggers)
        {
            errors.Add(new DefinitionError("/triggers", $"triggers must be an array, not {JsonChecks.Describe(node)}"));
            return;
        }

        if (triggers.Count > MaxTriggers)
        {
            errors.Add(new DefinitionError("/triggers", $"a workflow may have at most {MaxTriggers} triggers, not {triggers.Count}"));
        }

        for (var i = 0; i < triggers.Count; i++)
        {
            var pointer = JsonPointer.Append("/triggers", i);
            if (triggers[i] is not JsonObject trigger)
            {
                errors.Add(new DefinitionError(pointer, $"a trigger must be an object, not {JsonChecks.Describe(triggers[i])}"));
                continue;
            }

            var type = JsonChecks.IsString(trigger["type"], out var text) ? text : null;
            switch (type)
            {
                case "cron":
                    JsonChecks.RejectUnknown(trigger, pointer, CronProperties, errors);
                    CheckCron(trigger, pointer, inputSchema, schemaValid);
                    break;
                case "webhook":
                    JsonChecks.RejectUnknown(trigger, pointer, WebhookProperties, errors);
                    CheckWebhook(trigger, pointer);
                    break;
                default:
                    errors.Add(new DefinitionError(pointer + "/type", "a trigger's type must be \"cron\" or \"webhook\""));
                    break;
            }
        }
    }

    /// <summary>The secret name of <c>{{secrets.NAME}}</c>, or null when <paramref name="text"/> is anything else.</summary>
    public static string? SecretName(string text) => SecretReference().Match(text) is { Success: true } m ? m.Groups[1].Value : null;

    private void CheckCron(JsonObject trigger, string pointer, JsonObject? inputSchema, bool schemaValid)
    {
        if (!JsonChecks.IsString(trigger["schedule"], out var schedule))
        {
            Error(pointer + "/schedule", "a cron trigger needs a schedule: a cron expression string such as \"0 */5 * * * *\"");
        }
        else if (CronSchedules.TryParse(schedule, out var error) is null)
        {
            Error(pointer + "/schedule", error!);
        }

        if (trigger.TryGetPropertyValue("timeZone", out var zone) && zone is not null
            && !(JsonChecks.IsString(zone, out var zoneId) && CronSchedules.TryFindZone(zoneId) is not null))
        {
            Error(pointer + "/timeZone", $"unknown time zone {zone.ToJsonString()}: use an IANA zone id such as \"Europe/Berlin\" or \"UTC\"");
        }

        if (trigger["catchUp"] is { } catchUp
            && !(JsonChecks.IsString(catchUp, out var word) && word == "skip")
            && !(JsonChecks.IsInteger(catchUp, out var bound) && bound is >= 0 and <= MaxCatchUp))
        {
            Error(pointer + "/catchUp", $"catchUp must be \"skip\" or the number of missed ticks to start after downtime (0 to {MaxCatchUp})");
        }

        if (trigger["overlap"] is { } overlap && !(JsonChecks.IsString(overlap, out var policy) && Overlaps.Contains(policy)))
        {
            Error(pointer + "/overlap", "overlap must be \"skip\" (no new run while the previous one is going) or \"allow\"");
        }

        if (trigger["input"] is { } large && large.ToJsonString().Length > MaxCronInputLength)
        {
            Error(pointer + "/input", $"a cron trigger's input may be at most {MaxCronInputLength} characters of JSON");
        }
        else if (schemaValid && trigger.TryGetPropertyValue("input", out var input))
        {
            foreach (var inputError in InputValidator.Validate(inputSchema, input))
            {
                Error(JsonPointer.Combine(pointer + "/input", inputError.Pointer), inputError.Message);
            }
        }
    }

    private void CheckWebhook(JsonObject trigger, string pointer)
    {
        if (!JsonChecks.IsString(trigger["secret"], out var secret) || SecretName(secret) is null)
        {
            Error(pointer + "/secret", "a webhook trigger needs a secret written as \"{{secrets.NAME}}\" (a configured secret, never the value itself)");
        }

        if (trigger["input"] is { } input)
        {
            CheckTemplates(input, pointer + "/input");
        }
    }

    private void CheckTemplates(JsonNode? node, string pointer)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj)
                {
                    CheckTemplates(child, JsonPointer.Append(pointer, name));
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    CheckTemplates(array[i], JsonPointer.Append(pointer, i));
                }

                break;
            default:
                if (JsonChecks.IsString(node, out var text) && ExpressionEngine.ContainsTemplate(text))
                {
                    foreach (var message in ExpressionEngine.ParseTemplate(text, ExpressionRoots.Body).Errors)
                    {
                        Error(pointer, message);
                    }
                }

                break;
        }
    }

    private void Error(string pointer, string message) => errors.Add(new DefinitionError(pointer, message));

    [GeneratedRegex(@"^\{\{\s*secrets\.([A-Za-z_][A-Za-z0-9_]{0,127})\s*\}\}$")]
    private static partial Regex SecretReference();
}
