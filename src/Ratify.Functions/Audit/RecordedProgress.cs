using System.Globalization;
using Ratify.Functions.Orchestration;
using Ratify.Functions.Runs;

namespace Ratify.Functions.Audit;

/// <summary>Where each step of a run stands according to its audit chain: what a run view reports once the orchestration is gone.</summary>
/// <remarks>
/// Only what was recorded: a step with no record is absent, never assumed. Later executions (retries) override earlier
/// ones for the steps they ran; steps they reused keep their last recorded state.
/// </remarks>
public static class RecordedProgress
{
    /// <summary>Folds the run's records, in order, into a progress per step.</summary>
    public static async Task<IReadOnlyDictionary<string, StepProgress>> FoldAsync(IAsyncEnumerable<AuditRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        var steps = new Dictionary<string, StepProgress>(StringComparer.Ordinal);
        await foreach (var record in records.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (record.Data?["stepId"]?.GetValue<string>() is not { } stepId)
            {
                continue;
            }

            var at = DateTimeOffset.Parse(record.Time, CultureInfo.InvariantCulture);
            var attempt = record.Data["attempt"]?.GetValue<int>();
            var current = steps.GetValueOrDefault(stepId) ?? new StepProgress(StepStatuses.Pending, 0, null, null, null, null);

            // An attempt that acted on nothing outside its activity has one record, its outcome, which says when it started.
            if (record.Data["startedAt"]?.GetValue<string>() is { } startedAt)
            {
                current = Started(current, attempt, DateTimeOffset.Parse(startedAt, CultureInfo.InvariantCulture));
            }

            steps[stepId] = record.Type switch
            {
                AuditTypes.StepAttemptStarted => Started(current, attempt, at),
                AuditTypes.StepAttemptCompleted => current with { Status = StepStatuses.Completed, CompletedAt = at, Error = null },
                AuditTypes.StepAttemptFailed => current with
                {
                    Status = StepStatuses.Failed,
                    CompletedAt = at,
                    Error = new RunError(record.Data["error"]?["code"]?.GetValue<string>() ?? "step_failed", record.Data["error"]?["message"]?.GetValue<string>() ?? string.Empty),
                },
                AuditTypes.StepTimedOut => current with { Status = StepStatuses.Failed, CompletedAt = at, Error = new RunError("timeout", "The attempt timed out.") },
                AuditTypes.StepRetrying => current with { Status = StepStatuses.Running, CompletedAt = null },
                AuditTypes.StepSkipped => current with { Status = StepStatuses.Skipped, CompletedAt = at },
                AuditTypes.StepCancelled => current with { Status = StepStatuses.Cancelled, CompletedAt = at },
                _ => current,
            };
        }

        return steps;
    }

    private static StepProgress Started(StepProgress current, int? attempt, DateTimeOffset at) =>
        new(StepStatuses.Running, attempt ?? current.Attempts, attempt == 1 ? at : current.StartedAt ?? at, null, null, null);
}
