using CoreTaskFailedException = DurableTask.Core.Exceptions.TaskFailedException;

namespace Ratify.Durable.Replay;

/// <summary>Retries a failed activity call as Microsoft's <see cref="TaskRetryOptions"/> describe, with durable timers between attempts.</summary>
/// <remarks>
/// A <see cref="RetryPolicy"/> waits <c>FirstRetryInterval × BackoffCoefficient^(n-1)</c> (capped by <c>MaxRetryInterval</c>)
/// before retry n, stops after <c>MaxNumberOfAttempts</c> attempts or once <c>RetryTimeout</c> has passed since the
/// first attempt, and asks <c>Handle</c> whether the failure is worth retrying at all. A retry handler decides
/// everything itself (and waits with the context's timers if it wants a delay). Every decision depends only on
/// replayed values, so retries are deterministic.
/// </remarks>
internal static class DurableRetry
{
    public static Task<T> RunAsync<T>(TaskOrchestrationContext context, Func<Task<T>> attempt, TaskRetryOptions retry) =>
        retry.Policy is { } policy ? WithPolicyAsync(context, attempt, policy) :
        retry.Handler is { } handler ? WithHandlerAsync(context, attempt, handler) :
        attempt();

    private static async Task<T> WithPolicyAsync<T>(TaskOrchestrationContext context, Func<Task<T>> attempt, RetryPolicy policy)
    {
        var firstAttempt = context.CurrentUtcDateTime;
        for (var number = 1; ; number++)
        {
            try
            {
                return await attempt();
            }
            catch (TaskFailedException failure) when (number < policy.MaxNumberOfAttempts && policy.Handle(ToCore(failure)))
            {
                var delay = DelayAfter(policy, number);
                if (HasTimeout(policy) && context.CurrentUtcDateTime.Add(delay) > firstAttempt.Add(policy.RetryTimeout))
                {
                    throw;
                }

                await context.CreateTimer(delay, CancellationToken.None);
            }
        }
    }

    private static async Task<T> WithHandlerAsync<T>(TaskOrchestrationContext context, Func<Task<T>> attempt, AsyncRetryHandler handler)
    {
        var firstAttempt = context.CurrentUtcDateTime;
        for (var failures = 1; ; failures++)
        {
            try
            {
                return await attempt();
            }
            catch (TaskFailedException failure)
            {
                var retryContext = new RetryContext(context, failures, failure.FailureDetails, context.CurrentUtcDateTime - firstAttempt, CancellationToken.None);
                if (!await handler(retryContext))
                {
                    throw;
                }
            }
        }
    }

    // The SDK's default RetryTimeout is infinite (-1 ms); TimeSpan.MaxValue means the same.
    private static bool HasTimeout(RetryPolicy policy) =>
        policy.RetryTimeout != Timeout.InfiniteTimeSpan && policy.RetryTimeout != TimeSpan.MaxValue;

    /// <summary>The wait after failed attempt <paramref name="number"/> (1 for the first attempt).</summary>
    internal static TimeSpan DelayAfter(RetryPolicy policy, int number)
    {
        var ticks = policy.FirstRetryInterval.Ticks * Math.Pow(policy.BackoffCoefficient, number - 1);
        return ticks >= policy.MaxRetryInterval.Ticks ? policy.MaxRetryInterval : TimeSpan.FromTicks((long)ticks);
    }

    // RetryPolicy.Handle (and HandleFailure, which wraps it) expects the Durable Task Framework's exception type.
    private static CoreTaskFailedException ToCore(TaskFailedException failure) =>
        new(failure.Message, failure) { FailureDetails = failure.FailureDetails.ToCoreFailureDetails() };
}
