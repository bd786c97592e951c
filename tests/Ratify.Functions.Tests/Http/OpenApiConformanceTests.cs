using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Ratify.Functions.Tests.Api;
using Ratify.Testing;

namespace Ratify.Functions.Tests.Http;

/// <summary>
/// The OpenAPI document tells the truth: real responses of the running app, good and bad, are checked against it (status
/// documented for the operation, problem+json where it says so, required properties present), so that it cannot drift.
/// The operations are found in the document by path template, so new endpoints need only new rows.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed partial class OpenApiConformanceTests(AzuriteFixture azurite) : RunsApiTestBase(azurite)
{
    [Fact(Timeout = 90_000)]
    public async Task Real_responses_match_the_document()
    {
        using var admin = Admin();
        using var reader = await ClientWithAsync("default", "runs:read");
        using var anonymous = Client("sk_ratify_" + new string('x', 40));
        var document = JsonNode.Parse(await admin.GetStringAsync("/openapi/v1.json", Timeout))!.AsObject();

        var checks = new List<(HttpClient Client, HttpMethod Method, string Path, string? Body, string ContentType)>
        {
            (admin, HttpMethod.Post, "/v1/workflows", PairWorkflow, "application/json"),
            (admin, HttpMethod.Post, "/v1/workflows", PairWorkflow, "application/json"),
            (admin, HttpMethod.Post, "/v1/workflows", """{"id": "bad", "name": "Bad", "steps": []}""", "application/json"),
            (admin, HttpMethod.Post, "/v1/workflows", "{", "application/json"),
            (admin, HttpMethod.Post, "/v1/workflows", "id: x", "text/plain"),
            (admin, HttpMethod.Get, "/v1/workflows", null, ""),
            (admin, HttpMethod.Get, "/v1/workflows/pair", null, ""),
            (admin, HttpMethod.Get, "/v1/workflows/nope", null, ""),
            (admin, HttpMethod.Post, "/v1/runs", """{"workflowId": "pair", "input": {"dealId": "d1", "amount": 2}}""", "application/json"),
            (admin, HttpMethod.Post, "/v1/runs", """{"workflowId": "pair", "input": {}}""", "application/json"),
            (admin, HttpMethod.Post, "/v1/runs", """{"workflowId": 5}""", "application/json"),
            (admin, HttpMethod.Get, "/v1/runs", null, ""),
            (admin, HttpMethod.Get, "/v1/runs?continuationToken=garbage", null, ""),
            (admin, HttpMethod.Get, "/v1/runs/run_missing", null, ""),
            (admin, HttpMethod.Post, "/v1/keys", """{"name": "k", "scopes": ["runs:read"]}""", "application/json"),
            (admin, HttpMethod.Get, "/v1/keys", null, ""),
            (reader, HttpMethod.Post, "/v1/runs", """{"workflowId": "pair"}""", "application/json"),
            (anonymous, HttpMethod.Get, "/v1/runs", null, ""),
            (admin, HttpMethod.Get, "/healthz", null, ""),
        };

        foreach (var (client, method, path, body, contentType) in checks)
        {
            using var request = new HttpRequestMessage(method, path);
            if (body is not null)
            {
                request.Content = new StringContent(body, Encoding.UTF8, contentType);
            }

            using var response = await client.SendAsync(request, Timeout);
            await CheckAsync(document, method, path, response);
        }

        // Too large: the limit is enforced before anything reads the body.
        using var large = await admin.PostAsync("/v1/runs", new StringContent(new string(' ', 2 * 1024 * 1024) + "{}", Encoding.UTF8, "application/json"), Timeout);
        await CheckAsync(document, HttpMethod.Post, "/v1/runs", large);
    }

    [Fact(Timeout = 60_000)]
    public async Task Optional_fields_are_not_required_and_every_reference_resolves()
    {
        using var admin = Admin();
        var document = JsonNode.Parse(await admin.GetStringAsync("/openapi/v1.json", Timeout))!.AsObject();
        var schemas = document["components"]!["schemas"]!.AsObject();

        foreach (var (schema, optional) in new[]
        {
            ("StartRunRequest", new[] { "input", "version" }),
            ("ReplayRunRequest", ["input", "dryRun", "rerunIrreversible"]),
            ("CreateKeyRequest", ["tenantId"]),
            ("CancelRunRequest", ["reason"]),
        })
        {
            var required = schemas[schema]?["required"]?.AsArray().Select(n => n!.GetValue<string>()).ToList() ?? [];
            Assert.True(!required.Intersect(optional).Any(), $"{schema} marks optional fields as required: {string.Join(", ", required)}");
        }

        foreach (var reference in References(document))
        {
            Assert.True(Resolve(document, reference) is not null, $"{reference} does not resolve");
        }

        // Every operation documents the edge's answers: 503 where storage is used, and 400/413/415 where a body is taken.
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject())
            {
                var responses = operation!["responses"]!.AsObject();
                if (path.StartsWith("/v1/", StringComparison.Ordinal))
                {
                    Assert.True(responses.ContainsKey("503"), $"{method} {path} does not document 503");
                }

                if (operation["requestBody"] is not null)
                {
                    Assert.All(new[] { "400", "413", "415" }, s => Assert.True(responses.ContainsKey(s), $"{method} {path} does not document {s}"));
                }
            }
        }
    }

    private async Task CheckAsync(JsonObject document, HttpMethod method, string requestPath, HttpResponseMessage response)
    {
        var path = requestPath.Split('?')[0];
        var (template, operation) = FindOperation(document, method, path);
        var status = ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var text = await response.Content.ReadAsStringAsync(Timeout);
        var documented = operation["responses"]?[status];
        Assert.True(documented is not null, $"{method} {template} answered {status}, which the document does not list: {text}");

        var mediaType = response.Content.Headers.ContentType?.MediaType;
        if (string.IsNullOrEmpty(text) || mediaType is null)
        {
            return;
        }

        var schema = Resolve(document, documented!["content"]?[mediaType]?["schema"]);
        Assert.True(documented["content"]?[mediaType] is not null, $"{method} {template} {status} is {mediaType}, which the document does not list");
        if (schema?["required"] is JsonArray required && JsonNode.Parse(text) is JsonObject body)
        {
            foreach (var name in required.Select(n => n!.GetValue<string>()))
            {
                Assert.True(body.ContainsKey(name), $"{method} {template} {status} lacks required '{name}': {text}");
            }
        }
    }

    private static (string Template, JsonObject Operation) FindOperation(JsonObject document, HttpMethod method, string path)
    {
        foreach (var (template, item) in document["paths"]!.AsObject())
        {
            var pattern = "^" + RouteParameter().Replace(Regex.Escape(template).Replace(@"\{", "{", StringComparison.Ordinal), "[^/]+") + "$";
            if (Regex.IsMatch(path, pattern) && item![method.Method.ToLowerInvariant()] is JsonObject operation)
            {
                return (template, operation);
            }
        }

        throw new InvalidOperationException($"The document has no operation for {method} {path}.");
    }

    private static JsonNode? Resolve(JsonObject document, JsonNode? schema)
    {
        var reference = schema?["$ref"]?.GetValue<string>();
        if (reference is null)
        {
            return schema;
        }

        JsonNode? node = document;
        foreach (var part in reference.TrimStart('#', '/').Split('/'))
        {
            node = node?[part.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)];
        }

        return node;
    }

    private static JsonNode? Resolve(JsonObject document, string reference) => Resolve(document, new JsonObject { ["$ref"] = reference });

    private static IEnumerable<string> References(JsonNode? node) => node switch
    {
        JsonObject obj => obj.SelectMany(p => p.Key == "$ref" && p.Value is JsonValue v ? [v.GetValue<string>()] : References(p.Value)),
        JsonArray array => array.SelectMany(References),
        _ => [],
    };

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex RouteParameter();
}
