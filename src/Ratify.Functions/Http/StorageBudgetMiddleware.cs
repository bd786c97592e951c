using Ratify.Functions.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Ratify.Functions.Http;

/// <summary>
/// Gives each request a deadline for its storage work: the request's cancellation token (which every store call takes)
/// is cancelled when the budget runs out, so that an unreachable store ends in a 503 instead of a hang.
/// </summary>
/// <remarks>The background workers keep their own tokens and the storage client's retries: they wait for storage and recover.</remarks>
internal sealed class StorageBudgetMiddleware(RequestDelegate next, IOptions<StorageBudgetOptions> options)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<NoStorageBudgetMetadata>() is not null)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        var callerAborted = context.RequestAborted;
        var extra = context.GetEndpoint()?.Metadata.GetMetadata<LongerStorageBudgetMetadata>()?.ExtraTime(context) ?? TimeSpan.Zero;
        using var budget = new CancellationTokenSource(options.Value.RequestTimeout + extra);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(callerAborted, budget.Token);
        var feature = new StorageBudgetFeature(budget.Token);
        context.Features.Set(feature);
        context.RequestAborted = linked.Token;
        try
        {
            await next(context).ConfigureAwait(false);
        }
        finally
        {
            // The exception handler (outside this middleware) sees the caller's own token again, and the feature for the budget.
            context.RequestAborted = callerAborted;
        }
    }
}
