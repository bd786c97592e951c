using System.Diagnostics;
using Ratify.Functions.Telemetry;

namespace Ratify.Functions.Tests.Telemetry;

public sealed class UrlRedactionProcessorTests : IDisposable
{
    // A source of the test's own, so that no other listener sees these spans and no other span is sampled here.
    private readonly ActivitySource _source = new("Ratify.Tests.Redaction");
    private readonly ActivityListener _listener;

    public UrlRedactionProcessorTests()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = s => s == _source,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    [Fact]
    public void OnEnd_ServerSpanWithRoute_KeepsTheRouteAsPathAndDropsTheQuery()
    {
        using var span = _source.StartActivity("GET", ActivityKind.Server)!;
        span.SetTag("url.path", "/v1/approvals/apr_1/context");
        span.SetTag("url.query", "token=eyJsecret");
        span.SetTag("http.route", "/v1/approvals/{approvalId}/context");

        new UrlRedactionProcessor().OnEnd(span);

        Assert.Equal("/v1/approvals/{approvalId}/context", span.GetTagItem("url.path"));
        Assert.Null(span.GetTagItem("url.query"));
        Assert.DoesNotContain(span.TagObjects, t => t.Value is string s && s.Contains("eyJsecret", StringComparison.Ordinal));
    }

    [Fact]
    public void OnEnd_ServerSpanWithoutRoute_KeepsNoPath()
    {
        using var span = _source.StartActivity("GET", ActivityKind.Server)!;
        span.SetTag("url.path", "/a/eyJsecret");

        new UrlRedactionProcessor().OnEnd(span);

        Assert.Null(span.GetTagItem("url.path"));
    }

    [Fact]
    public void OnEnd_ClientSpan_KeepsSchemeHostAndPortOnly()
    {
        using var span = _source.StartActivity("POST", ActivityKind.Client)!;
        span.SetTag("url.full", "https://hooks.example.com:8443/services/T0/B0/XyZsecret?key=abc");

        new UrlRedactionProcessor().OnEnd(span);

        Assert.Equal("https://hooks.example.com:8443/" + UrlRedactionProcessor.Redacted, span.GetTagItem("url.full"));
    }

    [Fact]
    public void OnEnd_InternalSpan_IsLeftAlone()
    {
        using var span = _source.StartActivity("step", ActivityKind.Internal)!;
        span.SetTag("ratify.step.id", "fetch");

        new UrlRedactionProcessor().OnEnd(span);

        Assert.Equal("fetch", span.GetTagItem("ratify.step.id"));
    }

    public void Dispose()
    {
        _listener.Dispose();
        _source.Dispose();
    }
}
