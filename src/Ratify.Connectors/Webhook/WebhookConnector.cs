using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Ratify.Connectors.Arguments;
using Ratify.Connectors.Declarations;
using Ratify.Connectors.Http;
using Ratify.Connectors.Json;
using Ratify.Connectors.Outbound;

namespace Ratify.Connectors.Webhook;

/// <summary>POSTs a JSON payload: <c>with: {url, payload?, secret?, headers?, timeout?}</c>; output <c>{status, headers, body}</c>.</summary>
/// <remarks>
/// The payload defaults to <c>{runId, stepId, attempt}</c>. Every attempt carries the step's idempotency key in
/// <c>Idempotency-Key</c>, so a receiver can drop repeats; with a <c>secret</c> the body is signed (<see cref="WebhookSignature"/>).
/// </remarks>
public sealed class WebhookConnector : IConnector
{
    private static readonly TimeSpan DefaultTimeout = WebhookDeclaration.DefaultTimeout;

    private readonly HttpExchange _exchange;
    private readonly TimeProvider _time;

    /// <summary>Creates the connector over the shared guarded client.</summary>
    public WebhookConnector(OutboundHttpClient client, IOptions<OutboundOptions> options, TimeProvider time)
    {
        _exchange = new HttpExchange(client, options.Value, time);
        _time = time;
    }

    /// <inheritdoc />
    public string Name => "webhook";

    /// <inheritdoc />
    public ConnectorDeclaration Declaration => WebhookDeclaration.Value;

    /// <inheritdoc />
    public IReadOnlyList<ArgumentError> ValidateArguments(JsonObject arguments) => Declaration.Check(arguments);

    /// <inheritdoc />
    public SideEffect GetSideEffect(JsonObject arguments) => SideEffect.Idempotent;

    /// <inheritdoc />
    public Task<ConnectorResult> ExecuteAsync(ConnectorContext context, CancellationToken cancellationToken) =>
        ConnectorExecution.RunAsync(context, ArgumentReader.Texts(context.Arguments, "secret"), async () =>
        {
            var arguments = context.Arguments;
            var url = ArgumentReader.HttpUrl(arguments, "url");
            var payload = arguments["payload"]?.DeepClone() ?? new JsonObject
            {
                ["runId"] = context.RunId,
                ["stepId"] = context.StepId,
                ["attempt"] = context.Attempt,
            };
            var body = JsonBytes.Of(payload);

            var headers = new List<KeyValuePair<string, string>>();
            foreach (var (name, value) in ArgumentReader.OptionalObject(arguments, "headers") ?? [])
            {
                if (ArgumentReader.Scalar(value, $"headers/{name}") is { } text && !IsReserved(name))
                {
                    headers.Add(KeyValuePair.Create(name, text));
                }
            }

            headers.Add(KeyValuePair.Create("User-Agent", "Ratify"));
            headers.Add(KeyValuePair.Create(IdempotencyHeader.Name, context.IdempotencyKey));
            if (ArgumentReader.OptionalString(arguments, "secret") is { Length: > 0 } secret)
            {
                var signature = WebhookSignature.Create(secret, _time.GetUtcNow().ToUnixTimeSeconds(), body);
                headers.Add(KeyValuePair.Create(WebhookSignature.HeaderName, signature));
            }

            var request = new OutboundRequest(HttpMethod.Post, url, headers, body, "application/json; charset=utf-8");
            var timeout = ArgumentReader.Duration(arguments, "timeout", DefaultTimeout);
            var (reply, failure) = await _exchange.SendAsync(request, timeout, cancellationToken).ConfigureAwait(false);
            if (failure is not null)
            {
                return ConnectorResult.Failed(failure);
            }

            return reply!.IsSuccess
                ? ConnectorResult.Success(new JsonObject
                {
                    ["status"] = (int)reply.Status,
                    ["headers"] = reply.Headers,
                    ["body"] = reply.BodyNode,
                })
                : ConnectorResult.Failed(HttpExchange.StatusFailure(request, reply));
        });

    // The connector owns these: a step may not replace the signature, key or agent.
    private static bool IsReserved(string header) =>
        header.Equals("Idempotency-Key", StringComparison.OrdinalIgnoreCase)
        || header.Equals(WebhookSignature.HeaderName, StringComparison.OrdinalIgnoreCase)
        || header.Equals("User-Agent", StringComparison.OrdinalIgnoreCase)
        || header.Equals("Content-Type", StringComparison.OrdinalIgnoreCase);
}
