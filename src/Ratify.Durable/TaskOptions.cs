namespace Ratify.Durable;

/// <summary>Options for one activity call.</summary>
public sealed record TaskOptions(RetryPolicy? Retry = null)
{
    /// <summary>Options that retry the call with <paramref name="policy"/>.</summary>
    public static TaskOptions FromRetryPolicy(RetryPolicy policy) => new(policy);
}
