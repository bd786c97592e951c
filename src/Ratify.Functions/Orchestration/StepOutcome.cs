using Ratify.Functions.Runs;

namespace Ratify.Functions.Orchestration;

/// <summary>What one attempt of a step came to.</summary>
/// <param name="Kind">completed, skipped, delay or failed.</param>
/// <param name="Error">Why it failed.</param>
/// <param name="Retryable">Whether trying again may help.</param>
/// <param name="RetryAfter">The delay the remote side asked for.</param>
/// <param name="Delay">For a <c>delay</c> step: how long the durable timer waits.</param>
public sealed record StepOutcome(string Kind, RunError? Error = null, bool Retryable = false, TimeSpan? RetryAfter = null, TimeSpan? Delay = null)
{
    public const string CompletedKind = "completed";
    public const string SkippedKind = "skipped";
    public const string DelayKind = "delay";
    public const string FailedKind = "failed";

    /// <summary>The error code of an attempt whose result arrived after its timeout (recorded as late, never the output).</summary>
    public const string LateCode = "result_late";

    /// <summary>The code of an attempt stopped, or its result discarded, because its run was cancelled.</summary>
    public const string CancelledCode = "cancelled";

    public static StepOutcome Completed { get; } = new(CompletedKind);

    public static StepOutcome Skipped { get; } = new(SkippedKind);

    public static StepOutcome Wait(TimeSpan delay) => new(DelayKind, Delay: delay);

    public static StepOutcome Failed(string code, string message, bool retryable, TimeSpan? retryAfter = null) =>
        new(FailedKind, new RunError(code, message), retryable, retryAfter);
}
