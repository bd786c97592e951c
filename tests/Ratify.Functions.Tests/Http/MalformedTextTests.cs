using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Ratify.Functions.Tests.Api;
using Ratify.Testing;

namespace Ratify.Functions.Tests.Http;

/// <summary>
/// Text that is not text (bytes that are not UTF-8, escaped lone surrogates) is a 400 naming the field's JSON pointer on every
/// endpoint that takes a JSON body, and is never stored changed. The endpoints are read from the app's own routing table, so
/// that an endpoint added later is walked too.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed partial class MalformedTextTests(AzuriteFixture azurite) : RunsApiTestBase(azurite)
{
    /// <summary>Bodies with malformed text, and the pointer each must be reported at.</summary>
    private static readonly (string What, byte[] Body, string Pointer)[] Bodies =
    [
        ("lone high surrogate in a nested value", Utf8("""{"input": {"name": "\ud800"}}"""), "/input/name"),
        ("lone low surrogate in an array", Utf8("""{"input": {"list": ["ok", "\udc00"]}}"""), "/input/list/1"),
        ("high surrogate followed by a letter", Utf8("""{"a": {"b": [{"c": "x\ud83dy"}]}}"""), "/a/b/0/c"),
        ("lone surrogate in a property name", Utf8("""{"input": {"\ud800": 1}}"""), "/input"),
        ("raw bytes that are not UTF-8", [.. Utf8("{\"input\": {\"name\": \"ab"), 0xFF, 0xFE, .. Utf8("cd\"}}")], "/input/name"),
        ("a truncated UTF-8 sequence", [.. Utf8("{\"name\": \"caf"), 0xC3, .. Utf8("\", \"n\": 1}")], "/name"),
        ("a key with ~ and / in its name", Utf8("""{"a/b~c": "\udfff"}"""), "/a~1b~0c"),
    ];

    [Fact(Timeout = 60_000)]
    public async Task Every_json_endpoint_refuses_malformed_text_with_the_pointer()
    {
        using var admin = Admin();
        var endpoints = JsonEndpoints();
        Assert.True(endpoints.Count >= 8, $"only {endpoints.Count} endpoints found");
        foreach (var ((method, path), (what, body, pointer)) in endpoints.SelectMany(e => Bodies.Select(b => (e, b))))
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await admin.SendAsync(request, Timeout);
            var pointers = await ProblemPointersAsync(response, HttpStatusCode.BadRequest, Timeout);
            Assert.True(pointers.Contains(pointer), $"{what}: {method} {path} reported {string.Join(", ", pointers)}, not {pointer}");
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task Well_formed_text_outside_the_basic_plane_is_kept_exactly()
    {
        using var admin = Admin();
        await CreateWorkflowAsync(admin, PairWorkflow);
        const string Deal = "deal 😀 \u00e9\u0301 \U0001F600";
        var runId = await StartRunAsync(admin, "pair", new JsonObject { ["dealId"] = Deal });

        var run = await GetJsonAsync(admin, $"/v1/runs/{runId}");
        Assert.Equal(Deal, run["input"]!["dealId"]!.GetValue<string>());
    }

    /// <summary>Every route that takes a body (POST, PUT, PATCH), with its parameters filled in.</summary>
    private List<(string Method, string Path)> JsonEndpoints()
    {
        var sources = Services.GetRequiredService<IEnumerable<EndpointDataSource>>();
        var found = new List<(string, string)>();
        foreach (var endpoint in sources.SelectMany(s => s.Endpoints).OfType<RouteEndpoint>())
        {
            var pattern = endpoint.RoutePattern.RawText ?? string.Empty;
            var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? [];
            foreach (var method in methods.Where(m => m is "POST" or "PUT" or "PATCH"))
            {
                found.Add((method, "/" + RouteParameter().Replace(pattern.TrimStart('/'), "x")));
            }
        }

        return found;
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex RouteParameter();
}
