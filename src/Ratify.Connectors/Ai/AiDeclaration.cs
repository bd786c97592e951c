using Ratify.Connectors.Declarations;

namespace Ratify.Connectors.Ai;

/// <summary>The arguments, output, artifacts and side-effect class of the <c>ai</c> connector.</summary>
internal static class AiDeclaration
{
    public static readonly string[] Roles = ["system", "developer", "user", "assistant", "tool"];

    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(120);

    private static readonly ValueShape Message = ValueShape.ObjectOf("an object {role, content}", [
        new("role", ValueShape.OneOf(Roles), "Who speaks.", Required: true),
        new("content", ValueShape.Either("a string or an array of content parts", ValueShape.String, ValueShape.ArrayOf(ValueShape.Any)),
            "The text, or an array of content parts as the endpoint accepts them.", Required: true),
    ], additional: ValueShape.Any);

    private static readonly ValueShape Usage = ValueShape.ObjectOf("an object", [
        new("promptTokens", ValueShape.Number(0, integer: true), "Tokens in the prompt.", Required: true),
        new("completionTokens", ValueShape.Number(0, integer: true), "Tokens in the answer.", Required: true),
        new("totalTokens", ValueShape.Number(0, integer: true), "Both together.", Required: true),
        new("estimated", ValueShape.Boolean, "Present and true when the endpoint reported no usage and the counts are estimates."),
    ]);

    public static ConnectorDeclaration Value { get; } = new(
        "ai",
        "Calls an OpenAI-compatible chat-completions endpoint (OpenAI, Azure OpenAI, Workers AI, llama.cpp, vLLM …) through the SSRF guard. With budgetCents a call whose estimated cost exceeds the budget is refused (budget_exceeded), and without maxTokens the answer is capped to what the budget still pays for.",
        "read: a completion changes nothing outside.",
        ValueShape.ObjectOf("an object", [
            new("baseUrl", ValueShape.HttpUrl, "The API base URL; /chat/completions is appended.", Required: true),
            new("model", ValueShape.NonEmptyString, "The model name.", Required: true),
            new("apiKey", ValueShape.String, "Sent as a bearer token; use {{secrets.NAME}}. Redacted from outputs and logs."),
            new("messages", ValueShape.ArrayOf(Message, minItems: 1, expected: "an array of {role, content}"), "The conversation, at least one message.", Required: true),
            new("temperature", ValueShape.Number(0, 2), "Sampling temperature.", Default: "the endpoint's"),
            new("maxTokens", ValueShape.Number(1, integer: true), "The most tokens the answer may have.", Default: "the endpoint's, or what budgetCents pays for"),
            new("responseSchema", ValueShape.AnyObject, "A JSON Schema the answer must match; the output is then the parsed answer."),
            new("budgetCents", ValueShape.Number(0), "The most the call may cost, in cents; needs a configured price for the model."),
            new("timeout", ValueShape.Duration, "How long to wait for the answer.", Default: $"{DefaultTimeout.TotalSeconds:0}s"),
        ]),
        ["'budgetCents' needs a price for the model in Ratify:Ai:Prices:MODEL (InputCentsPer1KTokens and OutputCentsPer1KTokens)."],
        ValueShape.Either(
            "the parsed answer with responseSchema, otherwise {text, usage}",
            ValueShape.ObjectOf("an object", [
                new("text", ValueShape.String, "The answer (choices[0].message.content).", Required: true),
                new("usage", Usage, "Token counts.", Required: true),
            ]),
            ValueShape.Any),
        [
            new ArtifactDeclaration("response", "text or json", "The answer: text, or the parsed JSON with responseSchema."),
            new ArtifactDeclaration("usage", "json", "Token counts with the model, and costCents and budgetCents when a price or budget is set."),
        ]);
}
