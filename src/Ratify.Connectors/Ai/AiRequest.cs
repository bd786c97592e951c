using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Ratify.Connectors.Arguments;

namespace Ratify.Connectors.Ai;

/// <summary>The rendered arguments of an AI step and the chat-completions body built from them.</summary>
// A class, not a record: a generated ToString would print the API key.
internal sealed partial class AiRequest
{
    private AiRequest(
        Uri endpoint, string model, string? apiKey, JsonArray messages, double? temperature, long? maxTokens,
        JsonObject? responseSchema, decimal? budgetCents)
    {
        Endpoint = endpoint;
        Model = model;
        ApiKey = apiKey;
        Messages = messages;
        Temperature = temperature;
        MaxTokens = maxTokens;
        ResponseSchema = responseSchema;
        BudgetCents = budgetCents;
    }

    public Uri Endpoint { get; }

    public string Model { get; }

    public string? ApiKey { get; }

    public JsonArray Messages { get; }

    public double? Temperature { get; }

    public long? MaxTokens { get; }

    public JsonObject? ResponseSchema { get; }

    public decimal? BudgetCents { get; }

    public static AiRequest From(JsonObject arguments)
    {
        var baseUrl = ArgumentReader.HttpUrl(arguments, "baseUrl").AbsoluteUri.TrimEnd('/');
        var messages = arguments["messages"] as JsonArray ?? throw ArgumentReader.Wrong("messages", "an array of {role, content}");
        if (messages.Count == 0 || messages.Any(m => m is not JsonObject { } o || o["role"] is null || o["content"] is null))
        {
            throw ArgumentReader.Wrong("messages", "a non-empty array of {role, content}");
        }

        var maxTokens = ArgumentReader.OptionalNumber(arguments, "maxTokens");
        var budget = ArgumentReader.OptionalNumber(arguments, "budgetCents");
        return new AiRequest(
            new Uri(baseUrl + "/chat/completions"),
            ArgumentReader.RequiredString(arguments, "model"),
            ArgumentReader.OptionalString(arguments, "apiKey"),
            messages,
            ArgumentReader.OptionalNumber(arguments, "temperature"),
            maxTokens is null ? null : (long)maxTokens.Value,
            arguments["responseSchema"] switch
            {
                null => null,
                JsonObject schema => schema,
                _ => throw ArgumentReader.Wrong("responseSchema", "a JSON Schema object"),
            },
            budget is null ? null : (decimal)budget.Value);
    }

    /// <summary>The OpenAI-compatible request body; <paramref name="maxTokens"/> may be capped by the budget.</summary>
    public JsonObject Body(long? maxTokens)
    {
        var body = new JsonObject
        {
            ["model"] = Model,
            ["messages"] = Messages.DeepClone(),
        };
        if (Temperature is { } temperature)
        {
            body["temperature"] = temperature;
        }

        if (maxTokens is { } max)
        {
            body["max_tokens"] = max;
        }

        if (ResponseSchema is { } schema)
        {
            body["response_format"] = new JsonObject
            {
                ["type"] = "json_schema",
                ["json_schema"] = new JsonObject { ["name"] = SchemaName(schema), ["schema"] = schema.DeepClone() },
            };
        }

        return body;
    }

    // The API accepts only letters, digits, '_' and '-' (at most 64) as a schema name.
    private static string SchemaName(JsonObject schema)
    {
        var title = schema["title"] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : "";
        var name = NotAllowedInName().Replace(title, "_").Trim('_');
        return name.Length == 0 ? "response" : name[..Math.Min(64, name.Length)];
    }

    [GeneratedRegex("[^A-Za-z0-9_-]+")]
    private static partial Regex NotAllowedInName();
}
