using System.Runtime.ExceptionServices;

namespace Ratify.Bench;

/// <summary>Runs a scenario's clients together: the first failure stops the others and is what the pool throws.</summary>
internal static class ClientPool
{
    /// <summary>Runs <paramref name="clients"/> copies of <paramref name="client"/>, which watch <paramref name="stop"/>, until all end.</summary>
    public static async Task RunAsync(int clients, CancellationTokenSource stop, Func<Task> client)
    {
        ExceptionDispatchInfo? failure = null;

        async Task GuardedAsync()
        {
            try
            {
                await client();
            }
            catch (Exception e) when (e is not OperationCanceledException || !stop.IsCancellationRequested)
            {
                // The first failure is the reason; the other clients are stopped and their cancellations ignored.
                Interlocked.CompareExchange(ref failure, ExceptionDispatchInfo.Capture(e), null);
                await stop.CancelAsync();
            }
        }

        try
        {
            await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(GuardedAsync, CancellationToken.None)));
        }
        catch (OperationCanceledException) when (failure is not null)
        {
        }

        failure?.Throw();
    }
}
