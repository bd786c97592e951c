using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Worker;
using Ratify.Durable;

// Usage: Ratify.Durable.TestWorker <connection string> <hub> <partition count>
// Prints "acquired|released <partition>" as partitions move, "start|end <instance> [<task>]" around each activity, and a
// line for each warning that the host stood down or dropped work ("stood-down <partition>", "dropped <instance>", …).
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
        registry.AddActivityFunc<int, int>("Step", async (context, value) =>
        {
            // "Steps" schedules nothing but these, one after another from n*100, so the last two digits are the task id.
            var task = value % 100;
            Console.WriteLine($"start {context.InstanceId} {task}");
            await Task.Delay(500);
            Console.WriteLine($"end {context.InstanceId} {task}");
            return value + 1;
        });
        registry.AddOrchestratorFunc<int, int>("Steps", async (context, value) =>
        {
            // The custom status counts up: a stored status that goes down was written by a stale host.
            for (var step = 1; step <= 6; step++)
            {
                context.SetCustomStatus(step);
                value = await context.CallActivityAsync<int>("Step", value);
            }

            context.SetCustomStatus(7);
            return value;
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

/// <summary>Prints partition moves and stand-downs to standard output for the test that watches this process.</summary>
internal sealed class AcquisitionPrinter : ILoggerProvider
{
    private static readonly Dictionary<int, (string Line, string[] Values)> Printed = new()
    {
        [7] = ("acquired", ["Partition"]),
        [8] = ("released", ["Partition"]),
        [11] = ("stood-down", ["Partition"]),
        [12] = ("dropped", ["InstanceId", "Partition"]),
        [13] = ("stale-write-refused", ["InstanceId"]),
        [14] = ("activity-dropped", ["InstanceId", "TaskId"]),
        [15] = ("resumed", ["Partition"]),
    };

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
            if (Printed.TryGetValue(eventId.Id, out var printed) && state is IReadOnlyList<KeyValuePair<string, object?>> values)
            {
                Console.WriteLine(string.Join(' ', printed.Values.Select(name => values.First(v => v.Key == name).Value).Prepend(printed.Line)));
            }
        }
    }
}
