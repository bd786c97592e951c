using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Ratify.Functions.Workflows;

/// <summary>
/// Checks that <c>inputSchema</c> is a JSON Schema: the shape of each keyword it uses (with a pointer
/// to the bad one), then a full load by NJsonSchema, which is what validates inputs later.
/// </summary>
internal sealed class InputSchemaChecker(List<DefinitionError> errors)
{
    private const int MaxDepth = 32;

    private static readonly string[] Types = ["string", "number", "integer", "boolean", "object", "array", "null"];
    private static readonly string[] SchemaMaps = ["properties", "patternProperties", "definitions", "$defs", "dependentSchemas"];
    private static readonly string[] SingleSchemas =
        ["additionalProperties", "additionalItems", "not", "contains", "propertyNames", "if", "then", "else", "unevaluatedProperties", "unevaluatedItems"];

    private static readonly string[] SchemaLists = ["allOf", "anyOf", "oneOf", "prefixItems"];
    private static readonly string[] Counts = ["minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties"];
    private static readonly string[] Texts = ["format", "title", "description", "$schema", "$id", "$comment"];

    public void Check(JsonNode? node, string pointer)
    {
        if (node is not JsonObject)
        {
            Error(pointer, $"inputSchema must be a JSON Schema object, not {JsonChecks.Describe(node)}");
            return;
        }

        var before = errors.Count;
        CheckSchema(node, pointer, 0);
        if (errors.Count > before)
        {
            return;
        }

        try
        {
            SchemaLoader.Load(node.ToJsonString());
        }
        catch (InvalidOperationException e)
        {
            Error(pointer, "inputSchema is not a valid JSON Schema: " + e.Message);
        }
    }

    private void CheckSchema(JsonNode? node, string pointer, int depth)
    {
        if (JsonChecks.Describe(node) == "a boolean")
        {
            return;
        }

        if (node is not JsonObject schema)
        {
            Error(pointer, $"a schema must be an object or a boolean, not {JsonChecks.Describe(node)}");
            return;
        }

        if (depth > MaxDepth)
        {
            Error(pointer, $"the schema is nested deeper than {MaxDepth} levels");
            return;
        }

        foreach (var (keyword, value) in schema)
        {
            CheckKeyword(keyword, value, JsonPointer.Append(pointer, keyword), depth);
        }
    }

    private void CheckKeyword(string keyword, JsonNode? value, string at, int depth)
    {
        switch (keyword)
        {
            case "type":
                var types = value is JsonArray list ? list.ToList() : [value];
                if (types.Count == 0 || types.Any(t => !JsonChecks.IsString(t, out var name) || !Types.Contains(name)))
                {
                    Error(at, $"type must be one of {string.Join(", ", Types)} or a list of them");
                }

                break;
            case var _ when SchemaMaps.Contains(keyword):
                if (value is not JsonObject map)
                {
                    Error(at, $"{keyword} must be an object of schemas");
                    break;
                }

                foreach (var (name, child) in map)
                {
                    if (keyword == "patternProperties")
                    {
                        CheckPattern(name, JsonPointer.Append(at, name));
                    }

                    CheckSchema(child, JsonPointer.Append(at, name), depth + 1);
                }

                break;
            case "items":
                if (value is JsonArray tuple)
                {
                    CheckList(tuple, at, depth);
                }
                else
                {
                    CheckSchema(value, at, depth + 1);
                }

                break;
            case var _ when SingleSchemas.Contains(keyword):
                CheckSchema(value, at, depth + 1);
                break;
            case var _ when SchemaLists.Contains(keyword):
                if (value is JsonArray { Count: > 0 } schemas)
                {
                    CheckList(schemas, at, depth);
                }
                else
                {
                    Error(at, $"{keyword} must be a non-empty array of schemas");
                }

                break;
            case "required":
                if (value is not JsonArray required || required.Any(r => !JsonChecks.IsString(r, out _))
                    || required.Select(r => r!.GetValue<string>()).Distinct(StringComparer.Ordinal).Count() != required.Count)
                {
                    Error(at, "required must be an array of distinct property names");
                }

                break;
            case "enum":
                if (value is not JsonArray { Count: > 0 })
                {
                    Error(at, "enum must be a non-empty array");
                }

                break;
            case "minimum" or "maximum":
                Number(value, at, keyword);
                break;
            case "exclusiveMinimum" or "exclusiveMaximum":
                if (JsonChecks.Describe(value) != "a boolean")
                {
                    Number(value, at, keyword);
                }

                break;
            case "multipleOf":
                if (!JsonChecks.IsNumber(value, out var step) || step <= 0)
                {
                    Error(at, "multipleOf must be a number greater than 0");
                }

                break;
            case var _ when Counts.Contains(keyword):
                if (!JsonChecks.IsInteger(value, out var count) || count < 0)
                {
                    Error(at, $"{keyword} must be a whole number of at least 0");
                }

                break;
            case "uniqueItems":
                if (JsonChecks.Describe(value) != "a boolean")
                {
                    Error(at, "uniqueItems must be true or false");
                }

                break;
            case "pattern":
                if (JsonChecks.IsString(value, out var pattern))
                {
                    CheckPattern(pattern, at);
                }
                else
                {
                    Error(at, "pattern must be a regular expression string");
                }

                break;
            case "$ref":
                if (!JsonChecks.IsString(value, out var reference) || !reference.StartsWith('#'))
                {
                    Error(at, "$ref must point inside the schema (\"#/…\"): external references are not fetched");
                }

                break;
            case var _ when Texts.Contains(keyword):
                if (!JsonChecks.IsString(value, out _))
                {
                    Error(at, $"{keyword} must be a string");
                }

                break;
        }
    }

    private void CheckList(JsonArray schemas, string pointer, int depth)
    {
        for (var i = 0; i < schemas.Count; i++)
        {
            CheckSchema(schemas[i], JsonPointer.Append(pointer, i), depth + 1);
        }
    }

    private void Number(JsonNode? value, string at, string keyword)
    {
        if (!JsonChecks.IsNumber(value, out _))
        {
            Error(at, $"{keyword} must be a number");
        }
    }

    private void CheckPattern(string pattern, string at)
    {
        try
        {
            _ = new Regex(pattern, RegexOptions.None, TimeSpan.FromMilliseconds(100));
        }
        catch (ArgumentException e)
        {
            Error(at, $"'{pattern}' is not a valid regular expression: {e.Message}");
        }
    }

    private void Error(string pointer, string message) => errors.Add(new DefinitionError(pointer, message));
}
