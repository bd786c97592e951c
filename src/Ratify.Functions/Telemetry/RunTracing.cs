using System.Diagnostics;
using Ratify.Functions.Orchestration;
using Ratify.Functions.Runs;

namespace Ratify.Functions.Telemetry;

/// <summary>
/// Spans of runs and steps. A run is one trace: the span started where the run is scheduled is the parent of every step
/// attempt's span, on whichever host the attempt executes, through the W3C trace context that travels in the run's input.
/// </summary>
/// <remarks>Spans carry ids, names, attempts and statuses only: never arguments, outputs, error messages, keys or tokens.</remarks>
public static class RunTracing
{
    public const string RunIdTag = "ratify.run.id";
    public const string StepIdTag = "ratify.step.id";
    public const string AttemptTag = "ratify.step.attempt";
    public const string StatusTag = "ratify.step.status";
    public const string ErrorCodeTag = "ratify.error.code";

    /// <summary>Starts the span of a run's scheduling (null when nobody listens); its <see cref="Activity.Id"/> is the run's trace parent.</summary>
    public static Activity? StartRun(RunRecord run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var span = RatifyDiagnostics.Source.StartActivity("ratify.run");
        if (span is null)
        {
            return null;
        }

        span.DisplayName = "run " + run.WorkflowId;
        span.SetTag(RunIdTag, run.RunId);
        span.SetTag(RunMetrics.WorkflowTag, run.WorkflowId);
        span.SetTag("ratify.workflow.version", run.Version);
        return span;
    }

    /// <summary>Starts the span of one step attempt under the run's trace parent (null when nobody listens).</summary>
    public static Activity? StartStep(StepExecution input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!RatifyDiagnostics.Source.HasListeners())
        {
            return null;
        }

        // A run scheduled while nothing listened has no trace parent: its steps start traces of their own.
        ActivityContext.TryParse(input.TraceParent, null, isRemote: true, out var parent);
        var span = RatifyDiagnostics.Source.StartActivity("ratify.step", ActivityKind.Internal, parent);
        if (span is null)
        {
            return null;
        }

        span.DisplayName = "step " + input.StepId;
        span.SetTag(RunIdTag, input.RunId);
        span.SetTag(RunMetrics.WorkflowTag, input.WorkflowId);
        span.SetTag(StepIdTag, input.StepId);
        span.SetTag(AttemptTag, input.Attempt);
        return span;
    }

    /// <summary>Ends a step attempt: tags its span and records its duration.</summary>
    public static void EndStep(Activity? span, long startedTimestamp, string? connector, StepOutcome? outcome)
    {
        var kind = outcome?.Kind ?? StepOutcome.FailedKind;
        RunMetrics.StepAttempted(connector, kind, Stopwatch.GetElapsedTime(startedTimestamp));
        if (span is null)
        {
            return;
        }

        span.SetTag(RunMetrics.ConnectorTag, connector);
        span.SetTag(StatusTag, kind);
        if (outcome is null || outcome.Error is not null)
        {
            // The code only: messages may quote what a remote service answered.
            var code = outcome?.Error?.Code ?? "step_error";
            span.SetTag(ErrorCodeTag, code);
            span.SetStatus(ActivityStatusCode.Error, code);
        }
    }
}
