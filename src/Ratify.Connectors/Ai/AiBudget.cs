using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ratify.Connectors.Ai;

/// <summary>Estimates and computes the cost of a chat completion from token counts and a model price.</summary>
internal static class AiBudget
{
    // A common rule of thumb for English text; close enough to refuse calls that are clearly too expensive.
    private const int CharactersPerToken = 4;

    public static int EstimatePromptTokens(JsonArray messages, JsonObject? schema)
    {
        long characters = schema?.ToJsonString().Length ?? 0;
        foreach (var message in messages.OfType<JsonObject>())
        {
            characters += message["content"] switch
            {
                JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>().Length,
                { } other => other.ToJsonString().Length,
                null => 0,
            };
        }

        return (int)Math.Min(int.MaxValue, (characters + CharactersPerToken - 1) / CharactersPerToken);
    }

    public static decimal Cost(AiModelPrice price, long promptTokens, long completionTokens) =>
        (promptTokens * price.InputCentsPer1KTokens / 1000m) + (completionTokens * price.OutputCentsPer1KTokens / 1000m);

    /// <summary>The most completion tokens the rest of the budget pays for after the prompt, or null when output is free.</summary>
    public static long? AffordableCompletionTokens(AiModelPrice price, long promptTokens, decimal budgetCents)
    {
        if (price.OutputCentsPer1KTokens <= 0)
        {
            return null;
        }

        var remaining = budgetCents - Cost(price, promptTokens, 0);
        return remaining <= 0 ? 0 : (long)Math.Floor(remaining * 1000m / price.OutputCentsPer1KTokens);
    }
}
