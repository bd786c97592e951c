using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Worker;
using Ratify.Durable;
using Ratify.Testing;

namespace Ratify.Bench;

/// <summary>One in-process worker host on its own fresh task hub, with the client the scenarios drive it through.</summary>
internal sealed class BenchHost : IAsyncDisposable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

    // Idle pollers back off from 10 ms to the 1 s polling ceiling in about 1.3 s; measure a host at rest, as a server would be.
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(2);
    private readonly IHost _host;
    private readonly string _connectionString;

    private BenchHost(IHost host, string hub, string connectionString)
    {
        _host = host;
        Hub = hub;
        _connectionString = connectionString;
        Client = host.Services.GetRequiredService<DurableTaskClient>();
    }

    public string Hub { get; }

    public DurableTaskClient Client { get; }

    public static async Task<BenchHost> StartAsync(string connectionString, CancellationToken cancellation)
    {
        var hub = "bench" + Guid.NewGuid().ToString("N")[..12];
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        void Configure(DurableTaskOptions options)
        {
            options.HubName = hub;
            options.StorageConnectionString = connectionString;
        }

        builder.Services.AddDurableTaskWorker(worker => worker.AddTasks(BenchTasks.Register).UseAzureStorage(Configure));
        builder.Services.AddDurableTaskClient(client => client.UseAzureStorage(Configure));
        var host = builder.Build();
        await host.StartAsync(cancellation);
        var bench = new BenchHost(host, hub, connectionString);
        try
        {
            // The first instance pays for storage creation, connections and JIT; none of that is measured.
            var id = await bench.Client.ScheduleNewOrchestrationInstanceAsync(BenchTasks.Sequence, 2, cancellation);
            await bench.WaitForCompletionAsync(id, cancellation);
            await Task.Delay(Settle, cancellation);
        }
        catch
        {
            await bench.DisposeAsync();
            throw;
        }

        return bench;
    }

    /// <summary>Waits for one instance to complete (not counted as the runtime's storage traffic); fails if it did not succeed.</summary>
    public async Task WaitForCompletionAsync(string instanceId, CancellationToken cancellation)
    {
        var done = await HttpRequestCounter.ObserveAsync(() => Client.WaitForInstanceCompletionAsync(instanceId, cancellation: cancellation));
        EnsureSucceeded(done);
    }

    /// <summary>
    /// Waits for a <see cref="BenchTasks.StampedSequence"/> of <paramref name="steps"/> to complete: in memory until its
    /// last activity starts, then through the client, so that a client read after every episode does not slow the steps.
    /// </summary>
    public async Task WaitForSequenceAsync(string instanceId, int steps, CancellationToken cancellation)
    {
        await ActivityStamps.StepStartedAsync(instanceId, steps - 1).WaitAsync(cancellation);
        await WaitForCompletionAsync(instanceId, cancellation);
    }

    /// <summary>Waits, polling one query, until every instance in <paramref name="instanceIds"/> satisfies <paramref name="done"/>.</summary>
    /// <remarks>One query per poll loads the storage far less than one waiter per instance would.</remarks>
    public Task WaitForAllAsync(IReadOnlyCollection<string> instanceIds, Func<OrchestrationMetadata, bool> done, CancellationToken cancellation) =>
        HttpRequestCounter.ObserveAsync(async () =>
        {
            var wanted = instanceIds.ToHashSet(StringComparer.Ordinal);
            while (true)
            {
                var satisfied = 0;
                await foreach (var instance in Client.GetAllInstancesAsync(new OrchestrationQuery { PageSize = 1000 }).WithCancellation(cancellation))
                {
                    if (wanted.Contains(instance.InstanceId))
                    {
                        EnsureSucceeded(instance);
                        satisfied += done(instance) ? 1 : 0;
                    }
                }

                if (satisfied == wanted.Count)
                {
                    return true;
                }

                await Task.Delay(PollInterval, cancellation);
            }
        });

    public async ValueTask DisposeAsync()
    {
        using (var stop = new CancellationTokenSource(StopTimeout))
        {
            await _host.StopAsync(stop.Token);
        }

        _host.Dispose();
        await DeleteHubAsync();
    }

    private static void EnsureSucceeded(OrchestrationMetadata instance)
    {
        if (instance.RuntimeStatus is OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated)
        {
            throw new InvalidOperationException(
                $"Instance {instance.InstanceId} ({instance.Name}) ended {instance.RuntimeStatus}: {instance.FailureDetails?.ErrorMessage}");
        }
    }

    /// <summary>Deletes the hub's tables, queues and containers so that Azurite's memory does not grow run after run.</summary>
    private Task DeleteHubAsync() => HubStorage.DeleteAsync(_connectionString, Hub);
}
