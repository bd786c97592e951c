using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Ratify.Connectors.Arguments;
using Ratify.Connectors.Declarations;
using Ratify.Connectors.Http;
using Ratify.Connectors.Json;
using Ratify.Connectors.Outbound;

namespace Ratify.Connectors.Slack;

/// <summary>Posts a Slack message through an incoming webhook (<c>webhookUrl</c>) or <c>chat.postMessage</c> (<c>token</c> + <c>channel</c>).</summary>
/// <remarks>
/// <c>with: {webhookUrl? | token? + channel?, text?, blocks?, buttons?: [{text, url, style?}], threadTs?, apiBaseUrl?, timeout?}</c>.
/// Slack's <c>{"ok": false, "error": …}</c> is a failure (<c>slack_error</c>); rate limiting and Slack-side errors are retryable.
/// </remarks>
public sealed class SlackConnector : IConnector
{
    private static readonly HashSet<string> RetryableErrors = new(StringComparer.Ordinal)
    {
        "rate_limited", "ratelimited", "internal_error", "fatal_error", "service_unavailable", "request_timeout",
    };

    private static readonly TimeSpan DefaultTimeout = SlackDeclaration.DefaultTimeout;

    private readonly HttpExchange _exchange;
    private readonly SlackOptions _options;

    /// <summary>Creates the connector over the shared guarded client.</summary>
    public SlackConnector(OutboundHttpClient client, IOptions<OutboundOptions> outbound, IOptions<SlackOptions> options, TimeProvider time)
    {
        _exchange = new HttpExchange(client, outbound.Value, time);
        _options = options.Value;
    }

    /// <inheritdoc />
    public string Name => "slack";

    /// <inheritdoc />
    public ConnectorDeclaration Declaration => SlackDeclaration.Value;

    /// <inheritdoc />
    public IReadOnlyList<ArgumentError> ValidateArguments(JsonObject arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var errors = Declaration.Check(arguments).ToList();
        bool Has(string name) => arguments[name] is not null;
        if (Has("webhookUrl") == Has("token"))
        {
            errors.Add(new ArgumentError("/webhookUrl", "give either 'webhookUrl' (incoming webhook) or 'token' with 'channel' (chat.postMessage)"));
        }

        if (Has("token") && !Has("channel"))
        {
            errors.Add(new ArgumentError("/channel", "'channel' is required with 'token'"));
        }

        if (Has("webhookUrl") && (Has("channel") || Has("apiBaseUrl")))
        {
            errors.Add(new ArgumentError(Has("channel") ? "/channel" : "/apiBaseUrl", "an incoming webhook posts to its own channel; use 'token' to choose one"));
        }

        if (!Has("text") && !Has("blocks") && !Has("buttons"))
        {
            errors.Add(new ArgumentError("/text", "'text', 'blocks' or 'buttons' is required"));
        }

        return errors;
    }

    /// <inheritdoc />
    public SideEffect GetSideEffect(JsonObject arguments) => SideEffect.Irreversible;

    /// <inheritdoc />
    public Task<ConnectorResult> ExecuteAsync(ConnectorContext context, CancellationToken cancellationToken) =>
        ConnectorExecution.RunAsync(context, ArgumentReader.Texts(context.Arguments, "token", "webhookUrl"), async () =>
        {
            var arguments = context.Arguments;
            var message = SlackMessage.Build(arguments);
            var timeout = ArgumentReader.Duration(arguments, "timeout", DefaultTimeout);
            return ArgumentReader.OptionalString(arguments, "token") is { Length: > 0 } token
                ? await PostMessageAsync(arguments, token, message, context.IdempotencyKey, timeout, cancellationToken).ConfigureAwait(false)
                : await PostWebhookAsync(arguments, message, context.IdempotencyKey, timeout, cancellationToken).ConfigureAwait(false);
        });

    private async Task<ConnectorResult> PostWebhookAsync(
        JsonObject arguments, JsonObject message, string idempotencyKey, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var request = new OutboundRequest(
            HttpMethod.Post, ArgumentReader.HttpUrl(arguments, "webhookUrl"),
            [KeyValuePair.Create("User-Agent", "Ratify"), KeyValuePair.Create(IdempotencyHeader.Name, idempotencyKey)],
            JsonBytes.Of(message), "application/json; charset=utf-8");
        var (reply, failure) = await _exchange.SendAsync(request, timeout, cancellationToken).ConfigureAwait(false);
        if (failure is not null)
        {
            return ConnectorResult.Failed(failure);
        }

        if (!reply!.IsSuccess)
        {
            // Incoming webhooks answer errors as plain text such as "invalid_payload".
            var status = HttpExchange.StatusFailure(request, reply, "slack_error");
            return ConnectorResult.Failed(status with { Message = $"Slack answered {(int)reply.Status}: {ResponseBody.Truncate(reply.BodyText, 200)}" });
        }

        return ConnectorResult.Success(new JsonObject { ["ok"] = true });
    }

    private async Task<ConnectorResult> PostMessageAsync(
        JsonObject arguments, string token, JsonObject message, string idempotencyKey, TimeSpan timeout, CancellationToken cancellationToken)
    {
        message["channel"] = ArgumentReader.RequiredString(arguments, "channel");
        if (ArgumentReader.OptionalString(arguments, "threadTs") is { } thread)
        {
            message["thread_ts"] = thread;
        }

        var baseUrl = ArgumentReader.OptionalString(arguments, "apiBaseUrl") ?? _options.ApiBaseUrl;
        if (!ArgumentReader.IsHttpUrl(baseUrl))
        {
            throw ArgumentReader.Wrong("apiBaseUrl", "an absolute http or https URL");
        }

        var request = new OutboundRequest(
            HttpMethod.Post,
            new Uri(baseUrl.TrimEnd('/') + "/chat.postMessage"),
            [KeyValuePair.Create("Authorization", $"Bearer {token}"), KeyValuePair.Create("User-Agent", "Ratify"), KeyValuePair.Create(IdempotencyHeader.Name, idempotencyKey)],
            JsonBytes.Of(message),
            "application/json; charset=utf-8");
        var (reply, failure) = await _exchange.SendAsync(request, timeout, cancellationToken).ConfigureAwait(false);
        if (failure is not null)
        {
            return ConnectorResult.Failed(failure);
        }

        if (!reply!.IsSuccess)
        {
            return ConnectorResult.Failed(HttpExchange.StatusFailure(request, reply, "slack_error"));
        }

        if (reply.BodyNode is not JsonObject answer || answer["ok"]?.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
        {
            return ConnectorResult.Failed(new ConnectorFailure(
                "slack_error", "Slack answered without an 'ok' field", Retryable: true,
                Details: new JsonObject { ["body"] = ResponseBody.Truncate(reply.BodyText, 2000) }));
        }

        if (!answer["ok"]!.GetValue<bool>())
        {
            var error = answer["error"]?.ToString() ?? "unknown_error";
            return ConnectorResult.Failed(new ConnectorFailure(
                "slack_error", $"Slack refused the message: {error}", RetryableErrors.Contains(error), reply.RetryAfter,
                new JsonObject { ["error"] = error }));
        }

        return ConnectorResult.Success(new JsonObject
        {
            ["ok"] = true,
            ["channel"] = answer["channel"]?.DeepClone(),
            ["ts"] = answer["ts"]?.DeepClone(),
        });
    }
}
