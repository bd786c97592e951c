using System.Diagnostics.Metrics;
using Ratify.Functions.Runs;

namespace Ratify.Functions.Telemetry;

/// <summary>
/// Ratify's counters and histograms. Labels are workflow ids, connector names, statuses and decisions: never a tenant,
/// run, key or approver, so that a metrics backend holds nothing tenant-specific and cardinality stays bounded by definitions.
/// </summary>
public static class RunMetrics
{
    public const string WorkflowTag = "ratify.workflow.id";
    public const string ConnectorTag = "ratify.connector";
    public const string OutcomeTag = "ratify.step.outcome";
    public const string DecisionTag = "ratify.approval.decision";

    private static readonly Counter<long> Started = RatifyDiagnostics.Meter.CreateCounter<long>(
        "ratify.runs.started", "{run}", "Runs whose orchestration was scheduled; a retry starts its run again.");

    private static readonly Counter<long> Completed = RatifyDiagnostics.Meter.CreateCounter<long>(
        "ratify.runs.completed", "{run}", "Runs that finished with every step done.");

    private static readonly Counter<long> Failed = RatifyDiagnostics.Meter.CreateCounter<long>(
        "ratify.runs.failed", "{run}", "Runs that finished failed.");

    private static readonly Counter<long> Cancelled = RatifyDiagnostics.Meter.CreateCounter<long>(
        "ratify.runs.cancelled", "{run}", "Runs that were cancelled.");

    private static readonly Histogram<double> StepDuration = RatifyDiagnostics.Meter.CreateHistogram(
        "ratify.step.duration", "s", "How long one step attempt took, from its activity's start to its outcome.", tags: null,
        new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300] });

    private static readonly Histogram<double> ApprovalWait = RatifyDiagnostics.Meter.CreateHistogram(
        "ratify.approval.wait", "s", "How long an approval gate waited for its decision.", tags: null,
        new InstrumentAdvice<double> { HistogramBucketBoundaries = [1, 10, 60, 300, 900, 3600, 4 * 3600, 24 * 3600, 7 * 24 * 3600] });

    /// <summary>Whether anything collects step durations (otherwise a step attempt skips its measurement altogether).</summary>
    public static bool IsRecordingSteps => StepDuration.Enabled;

    /// <summary>Counts a scheduled run.</summary>
    public static void RunStarted(string workflowId)
    {
        if (Started.Enabled)
        {
            Started.Add(1, new KeyValuePair<string, object?>(WorkflowTag, workflowId));
        }
    }

    /// <summary>Counts a run's end under its final status.</summary>
    public static void RunFinished(string? workflowId, string status)
    {
        var counter = status switch
        {
            RunStatuses.Completed => Completed,
            RunStatuses.Failed => Failed,
            RunStatuses.Cancelled => Cancelled,
            _ => null,
        };
        if (counter is { Enabled: true })
        {
            counter.Add(1, new KeyValuePair<string, object?>(WorkflowTag, workflowId));
        }
    }

    /// <summary>Records one step attempt's duration, by connector (or built-in type) and outcome.</summary>
    public static void StepAttempted(string? connector, string outcome, TimeSpan elapsed)
    {
        if (StepDuration.Enabled)
        {
            StepDuration.Record(elapsed.TotalSeconds,
                new KeyValuePair<string, object?>(ConnectorTag, connector), new KeyValuePair<string, object?>(OutcomeTag, outcome));
        }
    }

    /// <summary>Records how long a gate waited, from its opening to its decision.</summary>
    public static void ApprovalDecided(DateTimeOffset openedAt, DateTimeOffset decidedAt, string decision)
    {
        if (ApprovalWait.Enabled)
        {
            ApprovalWait.Record(Math.Max(0, (decidedAt - openedAt).TotalSeconds), new KeyValuePair<string, object?>(DecisionTag, decision));
        }
    }
}
