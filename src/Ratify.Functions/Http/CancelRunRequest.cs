namespace Ratify.Functions.Http;

/// <summary>The optional body of <c>POST /v1/runs/{runId}/cancel</c>: why the run is cancelled (kept as the run's error message).</summary>
public sealed record CancelRunRequest(string? Reason = null)
{
    /// <summary>The longest reason accepted.</summary>
    public const int MaxReasonLength = 1000;
}
