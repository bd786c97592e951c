using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Ratify.Functions.Telemetry;
using Ratify.Testing;

namespace Ratify.Functions.Tests.Telemetry;

[Collection(AzuriteCollection.Name)]
public sealed class TelemetryRegistrationTests(AzuriteFixture azurite)
{
    [Fact(Timeout = 60_000)]
    public async Task Without_an_OTLP_endpoint_nothing_is_collected()
    {
        await using var api = new RatifyApiFactory(azurite);

        Assert.Null(api.Services.GetService<TracerProvider>());
        Assert.Null(api.Services.GetService<MeterProvider>());
        Assert.Null(api.Services.GetService<QueueDepthGauge>());
    }

    [Fact(Timeout = 60_000)]
    public async Task An_unknown_OTLP_protocol_stops_the_start_naming_the_setting()
    {
        await using var api = new RatifyApiFactory(azurite, new Dictionary<string, string?>
        {
            ["Ratify:Telemetry:OtlpEndpoint"] = "http://127.0.0.1:4318",
            ["Ratify:Telemetry:OtlpProtocol"] = "udp",
        });

        var error = await Assert.ThrowsAnyAsync<Exception>(() => Task.Run(() => api.Services));

        Assert.Contains("Ratify:Telemetry:OtlpProtocol must be http/protobuf or grpc", error.ToString(), StringComparison.Ordinal);
    }
}
