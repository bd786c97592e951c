namespace Ratify.Functions.Http;

/// <summary>The storage deadline of one request, kept on the request's features for the exception handler.</summary>
/// <param name="Budget">Cancelled when the request's storage budget has run out.</param>
internal sealed record StorageBudgetFeature(CancellationToken Budget)
{
    /// <summary>Whether the budget has run out.</summary>
    public bool Expired => Budget.IsCancellationRequested;
}
