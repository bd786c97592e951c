using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Worker;
using Ratify.Durable;

// Usage: Ratify.Durable.TestWorker <connection string> <hub> <partition count>
// Prints "acquired <partition>" when it takes a partition, and "start|end <instance>" around each activity.
var builder = Host.CreateApplicationBuilder();
builder.Logging.ClearProviders();
builder.Services.AddDurableTaskWorker(worker => worker
    .AddTasks(registry =>
    {
        registry.AddActivityFunc<int, int>("Double", async (context, value) =>
        {
            Console.WriteLine($"start {context.InstanceId}");
            await Task.Delay(250);
            Console.WriteLine($"end {context.InstanceId}");
            return value * 2;
        });
        registry.AddOrchestratorFunc<int, int>("Pipeline", async (context, value) =>
        {
            for (var step = 0; step < 4; step++)
            {
                value = await context.CallActivityAsync<int>("Double", value);
            }

            var fanned = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => context.CallActivityAsync<int>("Double", value)));
            return fanned.Sum();
        });
    })
    .UseAzureStorage(options =>
    {
        options.StorageConnectionString = args[0];
        options.HubName = args[1];
        options.StorageProvider.PartitionCount = int.Parse(args[2], CultureInfo.InvariantCulture);
        options.StorageProvider.LeaseInterval = TimeSpan.FromSeconds(15);
        options.StorageProvider.LeaseRenewInterval = TimeSpan.FromSeconds(4);
        options.StorageProvider.LeaseAcquireInterval = TimeSpan.FromSeconds(1);
        options.StorageProvider.ControlQueueVisibilityTimeout = TimeSpan.FromSeconds(20);
        options.StorageProvider.WorkItemQueueVisibilityTimeout = TimeSpan.FromSeconds(20);
        options.StorageProvider.MaxQueuePollingInterval = TimeSpan.FromMilliseconds(500);
    }));
builder.Services.AddSingleton<ILoggerProvider, AcquisitionPrinter>();

await builder.Build().RunAsync();

/// <summary>Prints partition acquisitions to standard output for the test that watches this process.</summary>
internal sealed class AcquisitionPrinter : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new Printer();

    public void Dispose()
    {
    }

    private sealed class Printer : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Id == 7 && state is IReadOnlyList<KeyValuePair<string, object?>> values)
            {
                Console.WriteLine($"acquired {values.First(v => v.Key == "Partition").Value}");
            }
        }
    }
}
