using System.Globalization;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Ratify.Bench;

/// <summary>Exercises every storage path at volume before anything is measured.</summary>
/// <remarks>
/// A fresh Azurite runs its request handlers unoptimised at first: a history commit took about twice as long
/// in the first few hundred steps of the process as after them, with the .NET JIT tiering ruled out.
/// </remarks>
internal static class WarmUp
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    /// <summary>Runs the warm-up within its timeout; false (with the reason printed) when the runtime could not finish it.</summary>
    public static async Task<bool> TryRunAsync(BenchEnvironment environment, CancellationToken cancellation)
    {
        Console.WriteLine("warm-up");
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        limit.CancelAfter(Timeout);
        var start = Measure.Now();
        try
        {
            await RunAsync(environment, limit.Token).WaitAsync(limit.Token);
        }
        catch (Exception e) when (!cancellation.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync($"warm-up FAILED: {(limit.IsCancellationRequested ? "timed out" : e.Message)}");
            return false;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  done in {Measure.MillisecondsSince(start) / 1000:0.0} s"));
        return true;
    }

    private static async Task RunAsync(BenchEnvironment environment, CancellationToken cancellation)
    {
        await using var host = await environment.StartHostAsync(cancellation);
        var ids = new List<string>
        {
            await host.Client.ScheduleNewOrchestrationInstanceAsync(BenchTasks.Sequence, environment.Size(full: 1000, quick: 100), cancellation),
            await host.Client.ScheduleNewOrchestrationInstanceAsync(BenchTasks.FanOut, environment.Size(full: 200, quick: 50), cancellation),
        };
        ids.AddRange(await Task.WhenAll(Enumerable.Range(0, environment.Size(full: 50, quick: 10))
            .Select(_ => host.Client.ScheduleNewOrchestrationInstanceAsync(BenchTasks.Sequence, 5, cancellation))));
        await host.WaitForAllAsync(ids, i => i.RuntimeStatus == OrchestrationRuntimeStatus.Completed, cancellation);
    }
}
