using Ratify.Functions.Runs;

namespace Ratify.Functions.Orchestration;

/// <summary>What one attempt of a step came to.</summary>
/// <param name="Kind">completed, skipped, delay or failed.</param>
/// <param name="Error">Why it failed.</param>
/// <param name="Retryable">Whether trying again may help.</param>
/// <param name="RetryAfter">The delay the remote side asked for.</param>
/// <param name="Delay">For a <c>delay</c> step: how long the durable timer waits.</param>
/// <param name="OutputJson">For a completed step: its output as it became the step's current output, when that JSON is at most
/// <see cref="MaxOutputBytes"/>; null for a larger one, for an output this attempt did not get to store, and in histories recorded
/// before it was sent (readers fall back to storage then).</param>
public sealed record StepOutcome(string Kind, RunError? Error = null, bool Retryable = false, TimeSpan? RetryAfter = null, TimeSpan? Delay = null, string? OutputJson = null)
{
    public const string CompletedKind = "completed";
    public const string SkippedKind = "skipped";
    public const string DelayKind = "delay";
    public const string FailedKind = "failed";

    /// <summary>The error code of an attempt whose result arrived after its timeout (recorded as late, never the output).</summary>
    public const string LateCode = "result_late";

    /// <summary>The code of an attempt stopped, or its result discarded, because its run was cancelled.</summary>
    public const string CancelledCode = "cancelled";

    /// <summary>The largest output (UTF-8 bytes of its JSON) that travels with the outcome through the run's history.</summary>
    public const int MaxOutputBytes = 8 * 1024;

    public static StepOutcome Completed { get; } = new(CompletedKind);

    /// <summary>A completed attempt whose output travels with it when small enough to.</summary>
    public static StepOutcome CompletedWith(string outputJson) =>
        System.Text.Encoding.UTF8.GetByteCount(outputJson) <= MaxOutputBytes ? new(CompletedKind, OutputJson: outputJson) : Completed;

    public static StepOutcome Skipped { get; } = new(SkippedKind);

    public static StepOutcome Wait(TimeSpan delay) => new(DelayKind, Delay: delay);

    public static StepOutcome Failed(string code, string message, bool retryable, TimeSpan? retryAfter = null) =>
        new(FailedKind, new RunError(code, message), retryable, retryAfter);
}
