using System.Text;
using System.Text.Json.Nodes;
using Azure;
using Ratify.Connectors;
using Ratify.Durable;
using Ratify.Functions.Runs;
using Ratify.Functions.Workflows;

namespace Ratify.Functions.Orchestration;

/// <summary>
/// Runs one attempt of a step: evaluates its condition, renders its arguments, calls its connector or
/// built-in type, and stores its output and artifacts. Returns only what the orchestrator must decide on.
/// </summary>
/// <remarks>
/// Runs at least once per attempt; the connector receives the same idempotency key on every attempt.
/// Secrets never leave this activity unredacted: outputs, artifacts and errors all go through the secret store.
/// </remarks>
public sealed class ExecuteStepActivity(
    WorkflowStore workflows,
    RunScopeReader scopes,
    StepResultStore results,
    ExpressionEngine expressions,
    ConnectorCatalog connectors,
    ISecretStore secrets) : TaskActivity<StepExecution, StepOutcome>
{
    public const string Name = nameof(ExecuteStepActivity);

    public override async Task<StepOutcome> RunAsync(TaskActivityContext context, StepExecution input)
    {
        try
        {
            return await ExecuteAsync(input).ConfigureAwait(false);
        }
        catch (ExpressionEvaluationException e)
        {
            return StepOutcome.Failed("expression_error", secrets.Redact(e.Message), retryable: false);
        }
        catch (RequestFailedException e)
        {
            return StepOutcome.Failed("storage_error", $"Storage was not reachable ({e.Status}).", retryable: true);
        }
    }

    private async Task<StepOutcome> ExecuteAsync(StepExecution input)
    {
        var definition = await DefinitionAsync(input).ConfigureAwait(false);
        var step = definition.Steps.Single(s => s.Id == input.StepId);
        var scope = await scopes.ReadAsync(input).ConfigureAwait(false);
        if (step.If is { } condition && !expressions.EvaluateCondition(condition, scope, secrets.Get))
        {
            return StepOutcome.Skipped;
        }

        var arguments = expressions.RenderTemplate(step.With ?? [], scope, secrets.Get) as JsonObject ?? [];
        JsonNode? output;
        IReadOnlyList<ConnectorArtifact> produced = [];
        switch (step.Type)
        {
            case StepTypes.Transform:
                output = arguments;
                break;
            case StepTypes.Delay:
                if (!IsoDuration.TryParse(arguments["duration"]?.GetValue<string>(), out var duration))
                {
                    return StepOutcome.Failed("invalid_arguments", $"Step '{step.Id}': with.duration must be an ISO 8601 duration such as PT5M.", retryable: false);
                }

                await results.SaveOutputAsync(input.RunId, step.Id, new JsonObject { ["duration"] = IsoDuration.Format(duration) }).ConfigureAwait(false);
                return StepOutcome.Wait(duration);
            case null:
                var connector = connectors.Get(step.Connector!);
                var call = new ConnectorContext(arguments, input.RunId, step.Id, input.Attempt, $"{input.RunId}:{step.Id}", secrets, new RunArtifactReader(results, input.RunId));
                var result = await connector.ExecuteAsync(call, CancellationToken.None).ConfigureAwait(false);
                if (result.Failure is { } failure)
                {
                    return StepOutcome.Failed(failure.Code, secrets.Redact(failure.Message), failure.Retryable, failure.RetryAfter);
                }

                output = result.Output;
                produced = result.Artifacts;
                break;
            default:
                return StepOutcome.Failed("unsupported_step_type", $"Steps of type '{step.Type}' cannot run yet.", retryable: false);
        }

        output = Redact(output);
        await results.SaveOutputAsync(input.RunId, step.Id, output).ConfigureAwait(false);
        foreach (var artifact in produced)
        {
            var content = Encoding.UTF8.GetBytes(secrets.Redact(Encoding.UTF8.GetString(artifact.Content.Span)));
            await results.SaveArtifactAsync(input.RunId, step.Id, artifact.Name, artifact.Type, content).ConfigureAwait(false);
        }

        await PublishDeclaredArtifactsAsync(input, step, scope, output).ConfigureAwait(false);
        return StepOutcome.Completed;
    }

    private async Task PublishDeclaredArtifactsAsync(StepExecution input, StepDefinition step, JsonObject scope, JsonNode? output)
    {
        if (step.Artifacts is not { Count: > 0 } declared)
        {
            return;
        }

        scope["output"] = output?.DeepClone();
        foreach (var artifact in declared)
        {
            var value = expressions.RenderTemplate(artifact.Value?.DeepClone(), scope, secrets.Get);
            var text = value is JsonValue v && v.TryGetValue<string>(out var s) && artifact.Type != "json" ? s : value?.ToJsonString() ?? "null";
            await results.SaveArtifactAsync(input.RunId, step.Id, artifact.Name, artifact.Type, Encoding.UTF8.GetBytes(secrets.Redact(text))).ConfigureAwait(false);
        }
    }

    private JsonNode? Redact(JsonNode? output)
    {
        if (output is null)
        {
            return null;
        }

        var json = output.ToJsonString();
        var redacted = secrets.Redact(json);
        return redacted == json ? output : JsonNode.Parse(redacted);
    }

    private Task<WorkflowDefinition> DefinitionAsync(StepExecution input) =>
        workflows.GetDefinitionAsync(input.TenantId, input.WorkflowId, input.Version);
}
