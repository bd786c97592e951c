using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Ratify.Functions.Telemetry;

/// <summary>Registers OpenTelemetry traces, metrics and logs, exported over OTLP, when an OTLP endpoint is configured.</summary>
public static class TelemetryServiceCollectionExtensions
{
    /// <summary>
    /// Adds the OpenTelemetry SDK with Ratify's source and meter, ASP.NET Core, HttpClient and runtime instrumentation, the
    /// queue-depth gauge and URL redaction, when <c>Ratify:Telemetry:OtlpEndpoint</c> or <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is
    /// set. Otherwise adds nothing: no listener exists, so spans are never created and instruments record nothing.
    /// </summary>
    public static IServiceCollection AddRatifyTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(TelemetryOptions.SectionName);
        var settings = section.Get<TelemetryOptions>() ?? new TelemetryOptions();
        if (settings.OtlpEndpoint is null && string.IsNullOrWhiteSpace(configuration[TelemetryOptions.StandardEndpointKey]))
        {
            return services;
        }

        services.AddOptions<TelemetryOptions>()
            .BindConfiguration(TelemetryOptions.SectionName)
            .Validate(o => o.OtlpEndpoint is null || (o.OtlpEndpoint.IsAbsoluteUri && o.OtlpEndpoint.Scheme is "http" or "https"),
                "Ratify:Telemetry:OtlpEndpoint must be an absolute http or https URL, such as http://collector:4318.")
            .Validate(o => o.OtlpProtocol is TelemetryOptions.HttpProtobuf or TelemetryOptions.Grpc,
                "Ratify:Telemetry:OtlpProtocol must be http/protobuf or grpc.")
            .Validate(o => o.QueueDepthCacheDuration > TimeSpan.Zero, "Ratify:Telemetry:QueueDepthCacheDuration must be positive.")
            .ValidateOnStart();
        services.AddSingleton<QueueDepthGauge>();
        services.AddHostedService<QueueDepthGaugeStarter>();

        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(settings.ServiceName, serviceInstanceId: Environment.MachineName))
            .WithTracing(tracing => tracing
                .AddSource(RatifyDiagnostics.Name)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation(o => o.FilterHttpRequestMessage = IsOutboundCall)
                // Before the exporter's own processor, so that spans are redacted before they are exported.
                .AddProcessor(new UrlRedactionProcessor())
                .AddOtlpExporter(o => Configure(o, settings, "v1/traces")))
            .WithMetrics(metrics => metrics
                .AddMeter(RatifyDiagnostics.Name)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddOtlpExporter(o => Configure(o, settings, "v1/metrics")))
            .WithLogging(
                logging => logging.AddOtlpExporter(o => Configure(o, settings, "v1/logs")),
                options =>
                {
                    // Scopes carry the run, step and attempt of the step activity that logged.
                    options.IncludeScopes = true;
                    options.IncludeFormattedMessage = true;
                });
        return services;
    }

    /// <summary>Connector calls are traced (and carry <c>traceparent</c>); the storage client's own requests are not.</summary>
    private static bool IsOutboundCall(HttpRequestMessage request) => !request.Headers.Contains("x-ms-version");

    private static void Configure(OtlpExporterOptions exporter, TelemetryOptions settings, string signalPath)
    {
        // Without Ratify:Telemetry:OtlpEndpoint, the SDK's OTEL_EXPORTER_OTLP_* settings stand as they are.
        if (settings.OtlpEndpoint is not { } endpoint)
        {
            return;
        }

        if (settings.OtlpProtocol == TelemetryOptions.Grpc)
        {
            exporter.Protocol = OtlpExportProtocol.Grpc;
            exporter.Endpoint = endpoint;
            return;
        }

        exporter.Protocol = OtlpExportProtocol.HttpProtobuf;
        exporter.Endpoint = new Uri(endpoint.AbsoluteUri.TrimEnd('/') + "/" + signalPath);
    }
}
