using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Ratify.Connectors.Arguments;
using Ratify.Connectors.Declarations;
using Ratify.Connectors.Http;
using Ratify.Connectors.Json;
using Ratify.Connectors.Outbound;

namespace Ratify.Connectors.Ai;

/// <summary>Calls an OpenAI-compatible chat-completions endpoint (OpenAI, Azure OpenAI, Workers AI, llama.cpp, vLLM …).</summary>
/// <remarks>
/// <c>with: {baseUrl, model, apiKey?, messages: [{role, content}], temperature?, maxTokens?, responseSchema?, budgetCents?, timeout?}</c>.
/// Output: the parsed JSON answer with <c>responseSchema</c>, otherwise <c>{text, usage}</c>; artifacts <c>response</c> and
/// <c>usage</c> (with <c>costCents</c> when the model has a configured price). With <c>budgetCents</c> a call whose estimated
/// cost exceeds the budget is refused (<c>budget_exceeded</c>), and without <c>maxTokens</c> the completion is capped to what
/// the budget still pays for.
/// </remarks>
public sealed class AiConnector : IConnector
{
    private static readonly TimeSpan DefaultTimeout = AiDeclaration.DefaultTimeout;

    private readonly HttpExchange _exchange;
    private readonly AiOptions _options;

    /// <summary>Creates the connector over the shared guarded client.</summary>
    public AiConnector(OutboundHttpClient client, IOptions<OutboundOptions> outbound, IOptions<AiOptions> options, TimeProvider time)
    {
        _exchange = new HttpExchange(client, outbound.Value, time);
        _options = options.Value;
    }

    /// <inheritdoc />
    public string Name => "ai";

    /// <inheritdoc />
    public ConnectorDeclaration Declaration => AiDeclaration.Value;

    /// <inheritdoc />
    public IReadOnlyList<ArgumentError> ValidateArguments(JsonObject arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var errors = Declaration.Check(arguments).ToList();
        if (arguments["budgetCents"] is not null && arguments["model"] is JsonValue model && !Templates.IsTemplate(model)
            && model.GetValueKind() == JsonValueKind.String && _options.PriceOf(model.GetValue<string>()) is null)
        {
            errors.Add(new ArgumentError("/budgetCents", $"no price is configured for model '{model.GetValue<string>()}' ({AiOptions.SectionName}:Prices:{model.GetValue<string>()}:InputCentsPer1KTokens and OutputCentsPer1KTokens)"));
        }

        return errors;
    }

    /// <inheritdoc />
    public SideEffect GetSideEffect(JsonObject arguments) => SideEffect.Read;

    /// <inheritdoc />
    public Task<ConnectorResult> ExecuteAsync(ConnectorContext context, CancellationToken cancellationToken) =>
        ConnectorExecution.RunAsync(context, ArgumentReader.Texts(context.Arguments, "apiKey"), async () =>
        {
            var ai = AiRequest.From(context.Arguments);
            var price = _options.PriceOf(ai.Model);
            var promptEstimate = AiBudget.EstimatePromptTokens(ai.Messages, ai.ResponseSchema);
            var maxTokens = ai.MaxTokens;
            if (ai.BudgetCents is { } budget)
            {
                if (price is null)
                {
                    return ConnectorResult.Failed(new ConnectorFailure(
                        "budget_unpriced", $"budgetCents is set but no price is configured for model '{ai.Model}'", Retryable: false));
                }

                var affordable = AiBudget.AffordableCompletionTokens(price, promptEstimate, budget);
                var estimate = AiBudget.Cost(price, promptEstimate, maxTokens ?? 1);
                if (estimate > budget || affordable == 0 || (maxTokens is { } max && affordable < max))
                {
                    return ConnectorResult.Failed(new ConnectorFailure(
                        "budget_exceeded",
                        $"the call to '{ai.Model}' is estimated at {AiBudget.Cost(price, promptEstimate, maxTokens ?? 0):0.####} cents or more, over the budget of {budget} cents",
                        Retryable: false,
                        Details: new JsonObject { ["estimatedPromptTokens"] = promptEstimate, ["maxTokens"] = maxTokens, ["budgetCents"] = budget }));
                }

                maxTokens ??= affordable;
            }

            var headers = new List<KeyValuePair<string, string>> { KeyValuePair.Create("User-Agent", "Ratify") };
            if (ai.ApiKey is { Length: > 0 } key)
            {
                headers.Add(KeyValuePair.Create("Authorization", $"Bearer {key}"));
            }

            var request = new OutboundRequest(HttpMethod.Post, ai.Endpoint, headers, JsonBytes.Of(ai.Body(maxTokens)), "application/json");
            var timeout = ArgumentReader.Duration(context.Arguments, "timeout", DefaultTimeout);
            var (reply, failure) = await _exchange.SendAsync(request, timeout, cancellationToken).ConfigureAwait(false);
            if (failure is not null)
            {
                return ConnectorResult.Failed(failure);
            }

            return reply!.IsSuccess
                ? await AnswerAsync(ai, price, promptEstimate, reply, cancellationToken).ConfigureAwait(false)
                : ConnectorResult.Failed(WithApiError(HttpExchange.StatusFailure(request, reply), reply));
        });

    private static async Task<ConnectorResult> AnswerAsync(
        AiRequest ai, AiModelPrice? price, int promptEstimate, HttpReply reply, CancellationToken cancellationToken)
    {
        if (reply.BodyNode is not JsonObject answer
            || answer["choices"] is not JsonArray { Count: > 0 } choices
            || choices[0]?["message"]?["content"] is not JsonValue contentNode
            || contentNode.GetValueKind() != JsonValueKind.String)
        {
            var refusal = reply.BodyNode?["choices"]?[0]?["message"]?["refusal"]?.ToString();
            return ConnectorResult.Failed(new ConnectorFailure(
                "invalid_response",
                refusal is null ? "the endpoint's answer has no choices[0].message.content" : $"the model refused: {refusal}",
                Retryable: false,
                Details: new JsonObject { ["body"] = ResponseBody.Truncate(reply.BodyText, 2000) }));
        }

        var content = contentNode.GetValue<string>();
        var usage = Usage(answer["usage"], promptEstimate, content);
        var usageRecord = (JsonObject)usage.DeepClone();
        usageRecord["model"] = ai.Model;
        if (price is not null)
        {
            usageRecord["costCents"] = AiBudget.Cost(price, usage["promptTokens"]!.GetValue<long>(), usage["completionTokens"]!.GetValue<long>());
        }

        if (ai.BudgetCents is { } budget)
        {
            usageRecord["budgetCents"] = budget;
        }

        var usageArtifact = new ConnectorArtifact("usage", "json", JsonBytes.Of(usageRecord));
        if (ai.ResponseSchema is null)
        {
            return ConnectorResult.Success(
                new JsonObject { ["text"] = content, ["usage"] = usage },
                [new ConnectorArtifact("response", "text", Encoding.UTF8.GetBytes(content)), usageArtifact]);
        }

        var (value, errors) = await JsonAnswer.ParseAsync(content, ai.ResponseSchema, cancellationToken).ConfigureAwait(false);
        if (errors.Count > 0)
        {
            // Another sample may well conform, so the failure is worth a retry; the spend is still recorded.
            return ConnectorResult.Failed(new ConnectorFailure(
                "invalid_response",
                $"the answer does not match responseSchema: {string.Join("; ", errors.Take(5))}",
                Retryable: true,
                Details: new JsonObject
                {
                    ["errors"] = new JsonArray([.. errors.Select(e => (JsonNode)e)]),
                    ["text"] = ResponseBody.Truncate(content, 2000),
                    ["usage"] = usageRecord,
                }));
        }

        return ConnectorResult.Success(value, [new ConnectorArtifact("response", "json", JsonBytes.Of(value)), usageArtifact]);
    }

    // Servers that report no usage (some local ones) get an estimate, flagged as such.
    private static JsonObject Usage(JsonNode? reported, int promptEstimate, string content)
    {
        static long? Read(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.Number ? v.GetValue<long>() : null;
        var prompt = Read(reported?["prompt_tokens"]);
        var completion = Read(reported?["completion_tokens"]);
        var usage = new JsonObject
        {
            ["promptTokens"] = prompt ?? promptEstimate,
            ["completionTokens"] = completion ?? (content.Length + 3) / 4,
        };
        usage["totalTokens"] = Read(reported?["total_tokens"]) ?? (usage["promptTokens"]!.GetValue<long>() + usage["completionTokens"]!.GetValue<long>());
        if (prompt is null || completion is null)
        {
            usage["estimated"] = true;
        }

        return usage;
    }

    // OpenAI-style errors carry a readable message in {"error": {"message": …}}.
    private static ConnectorFailure WithApiError(ConnectorFailure failure, HttpReply reply) =>
        reply.BodyNode?["error"]?["message"] is JsonValue message && message.GetValueKind() == JsonValueKind.String
            ? failure with { Message = $"{failure.Message}: {ResponseBody.Truncate(message.GetValue<string>(), 500)}" }
            : failure;
}
