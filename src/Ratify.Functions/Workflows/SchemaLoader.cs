using System.Collections.Concurrent;
using NJsonSchema;
using NJsonSchema.References;

namespace Ratify.Functions.Workflows;

/// <summary>Loads input schemas with NJsonSchema, never following a reference out of the document, and caches them.</summary>
internal static class SchemaLoader
{
    private const int MaxCached = 1024;
    private static readonly ConcurrentDictionary<string, JsonSchema> Cache = new(StringComparer.Ordinal);

    /// <exception cref="InvalidOperationException">The schema cannot be loaded; the message says why.</exception>
    public static JsonSchema Load(string json)
    {
        if (Cache.TryGetValue(json, out var cached))
        {
            return cached;
        }

        JsonSchema schema;
        try
        {
            // Nothing here awaits real I/O: external references are refused by the resolver.
            schema = JsonSchema.FromJsonAsync(json, documentPath: null, s => new LocalReferenceResolver(s)).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is Newtonsoft.Json.JsonException or ArgumentException or NotSupportedException or InvalidOperationException or FormatException)
        {
            throw new InvalidOperationException(e.Message.Split('\n')[0].Trim(), e);
        }

        if (Cache.Count >= MaxCached)
        {
            Cache.Clear();
        }

        return Cache.GetOrAdd(json, schema);
    }

    private sealed class LocalReferenceResolver(JsonSchema schema)
        : JsonReferenceResolver(new JsonSchemaAppender(schema, new DefaultTypeNameGenerator()))
    {
        public override Task<IJsonReference> ResolveFileReferenceAsync(string filePath, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException($"'{filePath}': only references inside the schema (#/…) are allowed");

        public override Task<IJsonReference> ResolveUrlReferenceAsync(string url, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException($"'{url}': only references inside the schema (#/…) are allowed");
    }
}
