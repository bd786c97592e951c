using Microsoft.Extensions.Hosting;

namespace Ratify.Functions.Telemetry;

/// <summary>Creates the <see cref="QueueDepthGauge"/> with the host, so that its instrument exists before the first collection.</summary>
internal sealed class QueueDepthGaugeStarter(QueueDepthGauge gauge) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        GC.KeepAlive(gauge);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
