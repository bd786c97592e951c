namespace Ratify.Functions.Tests.Telemetry;

/// <summary>One span as an OTLP receiver decoded it: ids in lowercase hex, attributes as text.</summary>
internal sealed record ReceivedSpan(
    string Service, string TraceId, string SpanId, string ParentSpanId, string Name, int Kind, IReadOnlyDictionary<string, string> Attributes)
{
    public string? this[string key] => Attributes.TryGetValue(key, out var value) ? value : null;
}
