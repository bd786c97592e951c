using System.Text.Json.Nodes;

namespace Ratify.Connectors.Declarations;

/// <summary>A value shape written as JSON Schema, for the OpenAPI document.</summary>
public sealed partial class ValueShape
{
    /// <summary>This shape as JSON Schema; every level below the top also accepts a templated string, and the top too when <paramref name="templated"/>.</summary>
    public JsonObject ToJsonSchema(bool templated = true)
    {
        var schema = ExactSchema();
        return !templated || _kind == Kind.Any || (_kind == Kind.String && _accepts is null && _minLength == 0)
            ? schema
            : new JsonObject { ["anyOf"] = new JsonArray(schema, TemplateSchema()) };
    }

    /// <summary>A string holding a template, decided when the step runs.</summary>
    public static JsonObject TemplateSchema() => new() { ["type"] = "string", ["pattern"] = "\\{\\{" };

    private JsonObject ExactSchema()
    {
        var schema = new JsonObject();
        switch (_kind)
        {
            case Kind.Any:
                break;
            case Kind.Null:
                schema["type"] = "null";
                break;
            case Kind.String:
                schema["type"] = "string";
                if (_values is not null && _pattern is null)
                {
                    schema["enum"] = new JsonArray([.. _values.Select(v => (JsonNode)v)]);
                }

                if (_minLength > 0)
                {
                    schema["minLength"] = _minLength;
                }

                if (_pattern is not null)
                {
                    schema["pattern"] = _pattern;
                }

                if (_format is not null)
                {
                    schema["format"] = _format;
                }

                break;
            case Kind.Boolean:
                schema["type"] = "boolean";
                break;
            case Kind.Number:
                schema["type"] = _integer ? "integer" : "number";
                if (_minimum is { } min)
                {
                    schema["minimum"] = min;
                }

                if (_maximum is { } max)
                {
                    schema["maximum"] = max;
                }

                break;
            case Kind.Array:
                schema["type"] = "array";
                schema["items"] = _items!.ToJsonSchema();
                if (_minItems > 0)
                {
                    schema["minItems"] = _minItems;
                }

                break;
            case Kind.Object:
                schema["type"] = "object";
                var properties = new JsonObject();
                foreach (var field in _fields)
                {
                    properties[field.Name] = FieldSchema(field);
                }

                if (_fields.Count > 0)
                {
                    schema["properties"] = properties;
                }

                if (_fields.Any(f => f.Required))
                {
                    schema["required"] = new JsonArray([.. _fields.Where(f => f.Required).Select(f => (JsonNode)f.Name)]);
                }

                schema["additionalProperties"] = _additional is null ? false : _additional._kind == Kind.Any ? true : _additional.ToJsonSchema();
                break;
            case Kind.Either:
                schema["anyOf"] = new JsonArray([.. _options.Select(o => (JsonNode)o.ExactSchema())]);
                break;
        }

        return schema;
    }

    /// <summary>A property's schema with its description (and default, in words) for generated clients.</summary>
    internal static JsonObject FieldSchema(FieldDeclaration field)
    {
        var schema = field.Shape.ToJsonSchema();
        schema["description"] = field.Default is null ? field.Description : $"{field.Description} Default: {field.Default}.";
        return schema;
    }
}
