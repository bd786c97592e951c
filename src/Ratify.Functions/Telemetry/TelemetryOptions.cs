namespace Ratify.Functions.Telemetry;

/// <summary>
/// Where telemetry goes (<c>Ratify:Telemetry</c>). Telemetry is on when <see cref="OtlpEndpoint"/> or the standard
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set; otherwise nothing is collected or exported.
/// </summary>
public sealed class TelemetryOptions
{
    public const string SectionName = "Ratify:Telemetry";

    /// <summary>The standard environment variable that also turns telemetry on (with the SDK's other <c>OTEL_*</c> variables).</summary>
    public const string StandardEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public const string HttpProtobuf = "http/protobuf";
    public const string Grpc = "grpc";

    /// <summary>The OTLP collector's base URL, e.g. <c>http://collector:4318</c>; signals go to <c>/v1/traces</c>, <c>/v1/metrics</c>
    /// and <c>/v1/logs</c> under it over HTTP. Default: none (the <c>OTEL_EXPORTER_OTLP_*</c> variables decide).</summary>
    public Uri? OtlpEndpoint { get; set; }

    /// <summary><c>http/protobuf</c> or <c>grpc</c>, for <see cref="OtlpEndpoint"/>. Default: <c>http/protobuf</c>.</summary>
    public string OtlpProtocol { get; set; } = HttpProtobuf;

    /// <summary>The <c>service.name</c> of every signal. Default: <c>ratify</c>.</summary>
    public string ServiceName { get; set; } = "ratify";

    /// <summary>How long the queue-depth gauge reuses one reading of the queues. Default: 15 seconds.</summary>
    public TimeSpan QueueDepthCacheDuration { get; set; } = TimeSpan.FromSeconds(15);
}
