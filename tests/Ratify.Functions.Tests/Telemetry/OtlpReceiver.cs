using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Ratify.Functions.Tests.Telemetry.Otlp;

namespace Ratify.Functions.Tests.Telemetry;

/// <summary>A real OTLP/HTTP endpoint on loopback: keeps every export's body (traces, metrics, logs) and decodes the spans.</summary>
internal sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<(string Signal, byte[] Body)> _exports = new();

    private OtlpReceiver(WebApplication app, string baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    public string BaseUrl { get; }

    /// <summary>Listens on <paramref name="port"/> of 127.0.0.1.</summary>
    public static async Task<OtlpReceiver> StartAsync(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        var receiver = new OtlpReceiver(app, $"http://127.0.0.1:{port}");
        app.MapPost("/v1/{signal}", async (string signal, HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            receiver._exports.Enqueue((signal, body.ToArray()));

            // An empty export response: everything was accepted.
            return Results.Bytes([], "application/x-protobuf");
        });
        await app.StartAsync();
        return receiver;
    }

    /// <summary>How many exports of <paramref name="signal"/> (traces, metrics or logs) arrived.</summary>
    public int Count(string signal) => _exports.Count(e => e.Signal == signal);

    /// <summary>Every span received so far.</summary>
    public IReadOnlyList<ReceivedSpan> Spans() =>
    [
        .. from export in _exports
           where export.Signal == "traces"
           from resource in TraceExport.Parser.ParseFrom(export.Body).ResourceSpans
           let service = Text(resource.Resource?.Attributes, "service.name")
           from scope in resource.ScopeSpans
           from span in scope.Spans
           select new ReceivedSpan(service ?? "", Hex(span.TraceId), Hex(span.SpanId), Hex(span.ParentSpanId), span.Name, span.Kind,
               span.Attributes.GroupBy(a => a.Key).ToDictionary(g => g.Key, g => Text(g.Last().Value))),
    ];

    /// <summary>Whether any export of any signal holds <paramref name="text"/> (OTLP writes strings as UTF-8 bytes).</summary>
    public bool Holds(string text)
    {
        var needle = Encoding.UTF8.GetBytes(text);
        return _exports.Any(e => e.Body.AsSpan().IndexOf(needle) >= 0);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private static string Hex(Google.Protobuf.ByteString bytes) => Convert.ToHexStringLower(bytes.Span);

    private static string? Text(IEnumerable<SpanAttribute>? attributes, string key) =>
        attributes?.Where(a => a.Key == key).Select(a => Text(a.Value)).FirstOrDefault();

    private static string Text(AttributeValue? value) => value?.ValueCase switch
    {
        AttributeValue.ValueOneofCase.StringValue => value.StringValue,
        AttributeValue.ValueOneofCase.BoolValue => value.BoolValue ? "true" : "false",
        AttributeValue.ValueOneofCase.IntValue => value.IntValue.ToString(System.Globalization.CultureInfo.InvariantCulture),
        AttributeValue.ValueOneofCase.DoubleValue => value.DoubleValue.ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => "",
    };
}
