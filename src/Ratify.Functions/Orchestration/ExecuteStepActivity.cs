using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Azure;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Ratify.Connectors;
using Microsoft.DurableTask;
using Ratify.Functions.Audit;
using Ratify.Functions.Events;
using Ratify.Functions.Runs;
using Ratify.Functions.Storage;
using Ratify.Functions.Telemetry;
using Ratify.Functions.Workflows;

namespace Ratify.Functions.Orchestration;

/// <summary>
/// Runs one attempt of a step: evaluates its condition, renders its arguments, calls its connector or
/// built-in type, and stores its output and artifacts. Returns only what the orchestrator must decide on.
/// </summary>
/// <remarks>
/// Runs at least once per attempt: every execution is counted (<see cref="StepAttemptStore"/>; a transform's first execution
/// in the transaction that records its result), and one after the first is logged; the connector receives the same idempotency key on every execution and attempt. A late execution
/// of an earlier attempt cannot replace what a later attempt stored. Every failure is logged at warning level.
/// Secrets never leave this activity unredacted: outputs, artifacts and errors all go through the secret store.
/// </remarks>
public sealed partial class ExecuteStepActivity(
    WorkflowStore workflows,
    RunScopeReader scopes,
    StepResultStore results,
    StepAttemptResultStore attemptResults,
    StepAttemptStore attempts,
    RunCancellations cancellations,
    LocalAttempts localAttempts,
    ExpressionEngine expressions,
    ConnectorCatalog connectors,
    ISecretStore secrets,
    RunEventPublisher events,
    StepAuditor auditor,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<ExecuteStepActivity> logger) : TaskActivity<StepExecution, StepOutcome>
{
    public const string Name = nameof(ExecuteStepActivity);

    private static readonly Func<ILogger, string, string, int, IDisposable?> StepScope =
        LoggerMessage.DefineScope<string, string, int>("Run {RunId}, step {StepId}, attempt {Attempt}");

    public override Task<StepOutcome> RunAsync(TaskActivityContext context, StepExecution input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var span = RunTracing.StartStep(input);

        // With telemetry off the attempt runs as it is: no span, no scope, no extra state machine.
        return span is null && !RunMetrics.IsRecordingSteps ? RunAttemptAsync(input, new StepReport()) : RunObservedAsync(input, span);
    }

    private async Task<StepOutcome> RunObservedAsync(StepExecution input, Activity? span)
    {
        using var owned = span;

        // The scope's ids go out with every log record of the attempt.
        using var scope = StepScope(logger, input.RunId, input.StepId, input.Attempt);
        var started = Stopwatch.GetTimestamp();
        var report = new StepReport();
        StepOutcome? outcome = null;
        try
        {
            outcome = await RunAttemptAsync(input, report).ConfigureAwait(false);
            return outcome;
        }
        finally
        {
            RunTracing.EndStep(span, started, report.Connector, outcome);
        }
    }

    private async Task<StepOutcome> RunAttemptAsync(StepExecution input, StepReport report)
    {
        // The outcome is recorded before it is returned: the orchestrator never acts on an attempt the audit does not show.
        auditor.BeginAttempt(input);

        // Written while the step works; awaited before the step's own end is, so that the two stay in order.
        var started = events.StepStartedAsync(input);
        StepOutcome outcome;
        try
        {
            outcome = await ExecuteAsync(input, report).ConfigureAwait(false);
        }
        catch (SecretNotConfiguredException e)
        {
            // Names the secret, never a value.
            outcome = StepOutcome.Failed(e.Code, $"Step '{input.StepId}': {e.Message}", retryable: false);
            await auditor.AttemptEndedAsync(input, outcome).ConfigureAwait(false);
            await started.ConfigureAwait(false);
            return outcome;
        }
        catch (ExpressionEvaluationException e)
        {
            outcome = StepOutcome.Failed("expression_error", secrets.Redact(e.Message), retryable: false);
        }
        catch (RequestFailedException e)
        {
            outcome = StepOutcome.Failed("storage_error", $"Storage was not reachable ({e.Status}).", retryable: true);
        }
        catch (Exception e)
        {
            // The orchestrator records it as step_error and the stream hears of it the same way; the exception itself is the runtime's to log.
            LogStepFailed(logger, input.RunId, input.StepId, input.Attempt, "step_error");
            await auditor.AttemptStartedAsync(input).ConfigureAwait(false); // the orchestrator records how it ends
            await started.ConfigureAwait(false);
            await events.StepFinishedAsync(input, StepOutcome.Failed("step_error", secrets.Redact(e.Message), retryable: true), report).ConfigureAwait(false);
            throw;
        }

        if (outcome.Error is { } error)
        {
            LogStepFailed(logger, input.RunId, input.StepId, input.Attempt, error.Code);
        }

        await auditor.AttemptEndedAsync(input, outcome).ConfigureAwait(false);
        await started.ConfigureAwait(false);
        if (!report.SettledByTimeout)
        {
            await events.StepFinishedAsync(input, outcome, report).ConfigureAwait(false);
        }

        return outcome;
    }

    private async Task<StepOutcome> ExecuteAsync(StepExecution input, StepReport report)
    {
        var definition = await DefinitionAsync(input).ConfigureAwait(false);
        var step = definition.Steps.Single(s => s.Id == input.StepId);

        // A transform acts on nothing outside this activity, so its execution need not be counted before it runs.
        var execution = step.Type == StepTypes.Transform
            ? AttemptExecution.CountedWithResult(input, attempts, attemptResults, logger)
            : await AttemptExecution.CountedAsync(input, attempts, attemptResults, logger).ConfigureAwait(false);
        try
        {
            return await ExecuteAsync(input, step, report, execution).ConfigureAwait(false);
        }
        finally
        {
            await execution.EndAsync().ConfigureAwait(false);
        }
    }

    private async Task<StepOutcome> ExecuteAsync(StepExecution input, StepDefinition step, StepReport report, AttemptExecution execution)
    {
        report.MaxAttempts = step.Retry?.MaxAttempts ?? 1;
        report.Connector = step.Connector ?? step.Type;
        var scope = await scopes.ReadAsync(input, StepReferences.Of(step)).ConfigureAwait(false);
        if (step.If is { } condition && !expressions.EvaluateCondition(condition, scope, NoSecrets))
        {
            return StepOutcome.Skipped;
        }

        // Secrets are for connector arguments only; anywhere else they would be stored (redacted, so useless) in an output.
        var arguments = expressions.RenderTemplate(step.With ?? [], scope, step.Type is null ? ConfiguredSecret : NoSecrets) as JsonObject ?? [];
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

                var waiting = new JsonObject { ["duration"] = IsoDuration.Format(duration) };
                await execution.RecordAsync(waiting, []).ConfigureAwait(false);
                await SaveOutputAsync(input, execution.Key, waiting.ToJsonString()).ConfigureAwait(false);
                return StepOutcome.Wait(duration);
            case null:
            {
                var connector = connectors.Get(step.Connector!);
                await auditor.AttemptStartedAsync(input).ConfigureAwait(false); // written ahead of the effect
                var call = new ConnectorContext(arguments, input.RunId, step.Id, input.Attempt, $"{input.RunId}:{step.Id}", secrets, new RunArtifactReader(results, input.RunId));
                using var watch = cancellations.WatchRun(input.RunId, input.ScheduledAt ?? time.GetUtcNow());
                using var fence = new AttemptFence(input.Deadline, watch.Token, lifetime.ApplicationStopping, time);
                ConnectorResult result;
                try
                {
                    // A retry after a timeout must not act while the timed-out attempt still runs here, unless repeating is harmless.
                    using var entered = connector.GetSideEffect(arguments) is SideEffect.Read or SideEffect.Idempotent
                        ? null
                        : await localAttempts.EnterAsync(input.RunId, step.Id, fence.Token).ConfigureAwait(false);
                    result = await connector.ExecuteAsync(call, fence.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (fence.IsRunCancelled)
                {
                    report.SettledByTimeout = true; // the orchestrator's cancel is the step's status
                    return StepOutcome.Failed(StepOutcome.CancelledCode, $"Step '{step.Id}' attempt {input.Attempt} was cancelled with its run.", retryable: false);
                }
                catch (OperationCanceledException) when (fence.Token.IsCancellationRequested)
                {
                    report.SettledByTimeout = fence.IsLate;
                    return fence.IsLate
                        ? StepOutcome.Failed("timeout", $"Step '{step.Id}' attempt {input.Attempt} was cancelled at its timeout.", retryable: true)
                        : StepOutcome.Failed("host_stopping", $"Step '{step.Id}' attempt {input.Attempt} was cancelled: the host is stopping.", retryable: true);
                }

                // The run was cancelled, or the orchestrator stopped waiting at the deadline: a result now must not become the output.
                if (fence.IsRunCancelled)
                {
                    report.SettledByTimeout = true;
                    return StepOutcome.Failed(StepOutcome.CancelledCode, $"Step '{step.Id}' attempt {input.Attempt} answered after its run was cancelled; its result was discarded.", retryable: false);
                }

                if (fence.IsLate)
                {
                    report.SettledByTimeout = true;
                    return StepOutcome.Failed(StepOutcome.LateCode, $"Step '{step.Id}' attempt {input.Attempt} answered after its timeout; its result was discarded.", retryable: true);
                }

                if (result.Failure is { } failure)
                {
                    return StepOutcome.Failed(failure.Code, secrets.Redact(failure.Message), failure.Retryable, failure.RetryAfter);
                }

                output = result.Output;
                produced = result.Artifacts;
                break;
            }

            default:
                return StepOutcome.Failed("unsupported_step_type", $"Steps of type '{step.Type}' cannot run yet.", retryable: false);
        }

        output = Redact(output);
        var artifacts = produced
            .Select(a => new AttemptArtifact(a.Name, a.Type, Encoding.UTF8.GetBytes(secrets.Redact(Encoding.UTF8.GetString(a.Content.Span)))))
            .Concat(DeclaredArtifacts(step, scope, output))
            .ToList();

        // The attempt's own copy first: whatever becomes current was recorded for this attempt, and stays when a later one replaces it.
        await execution.RecordAsync(output, artifacts).ConfigureAwait(false);
        var key = execution.Key;
        string? outputJson = output?.ToJsonString() ?? "null";
        var saved = await SaveOutputAsync(input, key, outputJson).ConfigureAwait(false);
        if (saved == OrderedWrite.Older)
        {
            return StepOutcome.Completed; // a later attempt's results stand; this one's are discarded
        }

        // Another execution of this attempt stored its output first: that one stays current (it may already be what the
        // orchestrator received), so this execution reports that one and stores only the artifacts that one did not.
        if (saved == OrderedWrite.Taken)
        {
            var current = await results.GetOutputAsync(input.RunId, input.StepId).ConfigureAwait(false);
            output = current.Output;
            outputJson = current.Found ? output?.ToJsonString() ?? "null" : null;
        }

        report.Output = outputJson is null ? null : output;
        foreach (var artifact in artifacts)
        {
            await StoredAsync(input, report, await results.SaveAttemptArtifactAsync(key, artifact.Name, artifact.Type, artifact.Content).ConfigureAwait(false))
                .ConfigureAwait(false);
        }

        return outputJson is null ? StepOutcome.Completed : StepOutcome.CompletedWith(outputJson);
    }

    private async Task StoredAsync(StepExecution input, StepReport report, ArtifactInfo? stored)
    {
        if (stored is not null)
        {
            report.Artifacts.Add(stored);
            await auditor.ArtifactWrittenAsync(input, stored).ConfigureAwait(false);
        }
    }

    private async Task<OrderedWrite> SaveOutputAsync(StepExecution input, StepAttemptKey key, string outputJson)
    {
        var saved = await results.SaveAttemptOutputAsync(key, outputJson).ConfigureAwait(false);
        if (saved == OrderedWrite.Older)
        {
            LogStaleOutputRefused(logger, input.RunId, input.StepId, input.Attempt);
        }

        return saved;
    }

    private IEnumerable<AttemptArtifact> DeclaredArtifacts(StepDefinition step, JsonObject scope, JsonNode? output)
    {
        if (step.Artifacts is not { Count: > 0 } declared)
        {
            yield break;
        }

        scope["output"] = output?.DeepClone();
        foreach (var artifact in declared)
        {
            var value = expressions.RenderTemplate(artifact.Value?.DeepClone(), scope, NoSecrets);
            var text = value is JsonValue v && v.TryGetValue<string>(out var s) && artifact.Type != "json" ? s : value?.ToJsonString() ?? "null";
            yield return new AttemptArtifact(artifact.Name, artifact.Type, Encoding.UTF8.GetBytes(secrets.Redact(text)));
        }
    }

    private static string? NoSecrets(string name) => throw new SecretNotConfiguredException(name, allowedHere: false);

    private string? ConfiguredSecret(string name) => secrets.Get(name) ?? throw new SecretNotConfiguredException(name, allowedHere: true);

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

    /// <summary>Which execution of the attempt this is, and whether it still has to be counted.</summary>
    [LoggerMessage(EventId = 3101, Level = LogLevel.Warning, Message = "Step {StepId} of run {RunId} failed on attempt {Attempt}: {ErrorCode}")]
    private static partial void LogStepFailed(ILogger logger, string runId, string stepId, int attempt, string errorCode);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Warning,
        Message = "A late execution of step {StepId} of run {RunId}, attempt {Attempt}, found a later attempt's output stored; its output was discarded")]
    private static partial void LogStaleOutputRefused(ILogger logger, string runId, string stepId, int attempt);
}
