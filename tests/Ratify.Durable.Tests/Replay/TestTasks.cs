using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Ratify.Durable.Worker;

namespace Ratify.Durable.Tests.Replay;

/// <summary>The tasks a registry describes, bound the way a real worker binds them (no storage is touched).</summary>
internal static class TestTasks
{
    public static (RegisteredTasks Tasks, IServiceProvider Services) From(Action<DurableTaskRegistry> register)
    {
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().Build())
            .AddDurableTaskWorker(worker => worker.AddTasks(register).UseAzureStorage())
            .BuildServiceProvider();
        _ = services.GetServices<IHostedService>().ToList(); // building the worker binds its task factory
        return (services.GetRequiredService<RegisteredTasks>(), services);
    }
}
