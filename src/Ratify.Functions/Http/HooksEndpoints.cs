using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Ratify.Connectors;
using Ratify.Connectors.Webhook;
using Ratify.Functions.Runs;
using Ratify.Functions.Security;
using Ratify.Functions.Triggers;
using Ratify.Functions.Workflows;

namespace Ratify.Functions.Http;

/// <summary>Inbound webhooks: a signed POST starts a run of a workflow that declares a webhook trigger.</summary>
/// <remarks>
/// No API key: the <c>X-Ratify-Signature</c> HMAC over the raw body, made with the trigger's secret, is the credential.
/// The run id is derived from the signature, so the same signed delivery sent again returns the first run instead of a second.
/// </remarks>
public static partial class HooksEndpoints
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { AllowDuplicateProperties = false, MaxDepth = 64 };

    /// <summary>Maps <c>POST /v1/hooks/{workflowId}</c> (tenant <c>default</c>) and <c>POST /v1/hooks/{tenantId}/{workflowId}</c>.</summary>
    public static IEndpointRouteBuilder MapHooksEndpoints(this IEndpointRouteBuilder app)
    {
        var hooks = app.MapGroup("/v1/hooks").WithTags("Hooks").AllowAnonymous().RequireRateLimiting(RateLimitingExtensions.HookPolicy)
            .AddEndpointFilter<DomainExceptionFilter>();
        hooks.MapPost("/{workflowId}", (string workflowId, HttpRequest request, HookDependencies deps, CancellationToken cancellationToken) =>
                DeliverAsync(Tenants.Default, workflowId, request, deps, cancellationToken))
            .WithName("DeliverHook")
            .WithSummary("Start a run of a workflow of the default tenant from a signed webhook delivery")
            .Produces<HookAcceptedResponse>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        hooks.MapPost("/{tenantId}/{workflowId}", (string tenantId, string workflowId, HttpRequest request, HookDependencies deps, CancellationToken cancellationToken) =>
                DeliverAsync(tenantId, workflowId, request, deps, cancellationToken))
            .WithName("DeliverTenantHook")
            .WithSummary("Start a run of a tenant's workflow from a signed webhook delivery")
            .Produces<HookAcceptedResponse>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        return app;
    }

    private static async Task<Accepted<HookAcceptedResponse>> DeliverAsync(
        string tenantId, string workflowId, HttpRequest request, HookDependencies deps, CancellationToken cancellationToken)
    {
        var notFound = $"Workflow '{workflowId}' has no webhook trigger here.";
        if (!Tenants.IsValidId(tenantId) || !DefinitionNames.IsWorkflowId(workflowId))
        {
            throw new NotFoundProblemException(notFound);
        }

        StoredWorkflow workflow;
        try
        {
            workflow = await deps.Workflows.GetAsync(tenantId, workflowId, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (WorkflowNotFoundException)
        {
            throw new NotFoundProblemException(notFound);
        }

        var triggers = TriggerReader.Webhooks(workflow.Definition);
        if (workflow.Workflow.Archived || triggers.Count == 0)
        {
            throw new NotFoundProblemException(notFound);
        }

        var body = await ReadBodyAsync(request, cancellationToken).ConfigureAwait(false);
        var header = request.Headers[WebhookSignature.HeaderName].ToString();
        var (trigger, timestamp, signature) = Authenticate(triggers, header, body, deps);

        var input = ParseBody(body);
        if (trigger.Input is not null)
        {
            try
            {
                input = deps.Expressions.RenderTemplate(trigger.Input, new JsonObject { ["body"] = input?.DeepClone() });
            }
            catch (ExpressionEvaluationException e)
            {
                throw new BadRequestProblemException("The body could not be mapped to the run's input: " + e.Message);
            }
        }

        // The delivery's identity is its signature: a repeat of the same signed request derives the same run id.
        var at = DateTimeOffset.FromUnixTimeSeconds(timestamp);
        var runId = RunIds.Derived(at, $"hook|{tenantId}|{workflowId}|{timestamp.ToString(CultureInfo.InvariantCulture)}|{signature}");
        try
        {
            await deps.Launcher.StartAsync(tenantId, workflowId, null, input, $"hook:{workflowId}", runId, cancellationToken).ConfigureAwait(false);
        }
        catch (RunInputException e)
        {
            throw new ValidationProblemException(
                [.. e.Errors.Select(error => new ProblemError(error.Pointer, error.Message))],
                "The run's input (the body, mapped through the trigger's input template if it has one) breaks the workflow's input schema; pointers are into that input.");
        }

        return TypedResults.Accepted($"/v1/runs/{runId}", new HookAcceptedResponse(runId));
    }

    private static (WebhookTrigger Trigger, long Timestamp, string Signature) Authenticate(
        IReadOnlyList<WebhookTrigger> triggers, string header, byte[] body, HookDependencies deps)
    {
        if (string.IsNullOrEmpty(header))
        {
            throw new UnauthorizedProblemException($"The {WebhookSignature.HeaderName} header is missing: sign the raw body as t=<unix seconds>,v1=<hex HMAC-SHA256 of \"<t>.<body>\">.");
        }

        if (!WebhookSignature.TryParse(header, out var timestamp, out _))
        {
            throw new UnauthorizedProblemException($"The {WebhookSignature.HeaderName} header is malformed: expected t=<unix seconds>,v1=<64 hex digits>.");
        }

        var now = deps.Time.GetUtcNow();
        if (Math.Abs(now.ToUnixTimeSeconds() - timestamp) > (long)WebhookSignature.Tolerance.TotalSeconds)
        {
            throw new UnauthorizedProblemException("The signature's timestamp is more than five minutes from the server's clock: sign each delivery when it is sent.");
        }

        foreach (var trigger in triggers)
        {
            if (deps.Secrets.Get(trigger.SecretName) is not { Length: > 0 } secret)
            {
                LogSecretMissing(deps.Logger, trigger.SecretName);
                continue;
            }

            if (WebhookSignature.Verify(secret, header, body, now))
            {
                var expected = WebhookSignature.Create(secret, timestamp, body);
                return (trigger, timestamp, expected[(expected.IndexOf(",v1=", StringComparison.Ordinal) + 4)..]);
            }
        }

        throw new UnauthorizedProblemException("The signature does not match the body: sign the exact raw bytes sent with the hook's secret.");
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        return buffer.ToArray();
    }

    private static JsonNode? ParseBody(byte[] body)
    {
        if (body.Length == 0)
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(body, documentOptions: DocumentOptions);
        }
        catch (JsonException e)
        {
            throw new BadRequestProblemException("The body must be JSON: " + e.Message);
        }
    }

    [LoggerMessage(EventId = 4201, Level = LogLevel.Warning, Message = "A webhook trigger names secret {SecretName}, which is not configured; its deliveries cannot be verified")]
    private static partial void LogSecretMissing(ILogger logger, string secretName);
}
