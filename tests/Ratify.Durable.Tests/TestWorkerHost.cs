using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.DurableTask.Worker;
using Ratify.Testing;

namespace Ratify.Durable.Tests;

/// <summary>A real worker host on the shared Azurite, with its own task hub.</summary>
internal sealed class TestWorkerHost : IAsyncDisposable
{
    private readonly IHost _host;

    private TestWorkerHost(IHost host) => _host = host;

    public DurableTaskClient Client => _host.Services.GetRequiredService<DurableTaskClient>();

    public IServiceProvider Services => _host.Services;

    public static async Task<TestWorkerHost> StartAsync(
        AzuriteFixture azurite, string hub, Action<DurableTaskRegistry> register, Action<DurableTaskOptions>? configure = null, ILoggerProvider? logs = null,
        Action<IServiceCollection>? services = null)
    {
        var builder = Host.CreateApplicationBuilder();
        services?.Invoke(builder.Services); // before the backend, whose registrations give way to these
        builder.Logging.ClearProviders();
        if (logs is not null)
        {
            builder.Logging.AddProvider(logs);
        }

        void Configure(DurableTaskOptions options)
        {
            options.HubName = hub;
            options.StorageConnectionString = azurite.ConnectionString;
            configure?.Invoke(options);
        }

        builder.Services.AddDurableTaskWorker(worker => worker.AddTasks(register).UseAzureStorage(Configure));
        builder.Services.AddDurableTaskClient(client => client.UseAzureStorage(Configure));
        var host = builder.Build();
        await host.StartAsync();
        return new TestWorkerHost(host);
    }

    public async Task StopAsync() => await _host.StopAsync();

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
