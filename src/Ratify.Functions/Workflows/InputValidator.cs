using System.Globalization;
using System.Text.Json.Nodes;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using NJsonSchema;
using NJsonSchema.Validation;

namespace Ratify.Functions.Workflows;

/// <summary>Validates a run's input against the workflow's <c>inputSchema</c> (NJsonSchema) and lists every violation.</summary>
public static class InputValidator
{
    /// <summary>Every violation of <paramref name="schema"/> by <paramref name="input"/>; none when there is no schema.</summary>
    /// <exception cref="InvalidOperationException">The schema itself cannot be loaded (definition validation prevents this).</exception>
    public static IReadOnlyList<InputError> Validate(JsonObject? schema, JsonNode? input)
    {
        if (schema is null)
        {
            return [];
        }

        var compiled = SchemaLoader.Load(schema.ToJsonString());
        var errors = new List<InputError>();
        var mistyped = new List<string>();
        Flatten(compiled.Validate(ToToken(input)), errors, mistyped);

        // Once a value has the wrong type, what its schema says about its members is noise.
        return [.. errors.Where(e => !mistyped.Any(pointer => e.Pointer.StartsWith(pointer + "/", StringComparison.Ordinal)))];
    }

    private static JToken ToToken(JsonNode? input)
    {
        // Dates stay strings: the schema, not the parser, decides what a string means.
        using var reader = new JsonTextReader(new StringReader(input?.ToJsonString() ?? "null"))
        {
            DateParseHandling = DateParseHandling.None,
            FloatParseHandling = FloatParseHandling.Decimal,
        };
        return JToken.ReadFrom(reader);
    }

    private static void Flatten(IEnumerable<ValidationError> found, List<InputError> errors, List<string> mistyped)
    {
        foreach (var error in found)
        {
            // A wrapper such as "item 3 is not valid" says less than the errors it holds.
            if (error is ChildSchemaValidationError child && error.Kind is ValidationErrorKind.ArrayItemNotValid
                or ValidationErrorKind.AdditionalItemNotValid or ValidationErrorKind.AdditionalPropertiesNotValid)
            {
                Flatten(child.Errors.SelectMany(e => e.Value), errors, mistyped);
                continue;
            }

            var pointer = PointerOf(error.Token);
            if (error.Kind == ValidationErrorKind.PropertyRequired && error.Property is { } property)
            {
                pointer = JsonPointer.Append(pointer, property);
            }

            if (error.Kind is ValidationErrorKind.ObjectExpected or ValidationErrorKind.ArrayExpected)
            {
                mistyped.Add(pointer);
            }

            var name = pointer.Length == 0 ? "the input" : $"'{pointer[(pointer.LastIndexOf('/') + 1)..]}'";
            errors.Add(new InputError(pointer, name + " " + Describe(error)));
        }
    }

    private static string PointerOf(JToken? token)
    {
        var tokens = new List<string>();
        for (var current = token; current is not null; current = current.Parent)
        {
            if (current is JProperty property)
            {
                tokens.Add(property.Name);
            }
            else if (current.Parent is JArray array)
            {
                tokens.Add(array.IndexOf(current).ToString(CultureInfo.InvariantCulture));
            }
        }

        tokens.Reverse();
        return tokens.Aggregate(string.Empty, JsonPointer.Append);
    }

    private static string Describe(ValidationError error)
    {
        var schema = error.Schema;
        return error.Kind switch
        {
            ValidationErrorKind.PropertyRequired => "is required",
            ValidationErrorKind.StringExpected => "must be a string",
            ValidationErrorKind.NumberExpected => "must be a number",
            ValidationErrorKind.IntegerExpected => "must be a whole number",
            ValidationErrorKind.BooleanExpected => "must be true or false",
            ValidationErrorKind.ObjectExpected => "must be an object",
            ValidationErrorKind.ArrayExpected => "must be an array",
            ValidationErrorKind.NullExpected => "must be null",
            ValidationErrorKind.NoTypeValidates => $"must be of type {schema?.Type.ToString().ToLowerInvariant()}",
            ValidationErrorKind.PatternMismatch => $"does not match the pattern {schema?.Pattern}",
            ValidationErrorKind.StringTooShort => $"must be at least {schema?.MinLength} characters long",
            ValidationErrorKind.StringTooLong => $"must be at most {schema?.MaxLength} characters long",
            ValidationErrorKind.NumberTooSmall => Bound(schema?.ExclusiveMinimum, schema?.Minimum, schema?.IsExclusiveMinimum == true, "greater than", "at least"),
            ValidationErrorKind.NumberTooBig or ValidationErrorKind.IntegerTooBig => Bound(schema?.ExclusiveMaximum, schema?.Maximum, schema?.IsExclusiveMaximum == true, "less than", "at most"),
            ValidationErrorKind.NumberNotMultipleOf or ValidationErrorKind.IntegerNotMultipleOf => FormattableString.Invariant($"must be a multiple of {schema?.MultipleOf}"),
            ValidationErrorKind.TooManyItems => $"must have at most {schema?.MaxItems} items",
            ValidationErrorKind.TooFewItems => $"must have at least {schema?.MinItems} items",
            ValidationErrorKind.ItemsNotUnique => "must not contain the same item twice",
            ValidationErrorKind.TooManyItemsInTuple => "has more items than the schema allows",
            ValidationErrorKind.NotInEnumeration => "must be one of: " + string.Join(", ", schema?.Enumeration.Select(v => JsonConvert.SerializeObject(v)) ?? []),
            ValidationErrorKind.NoAdditionalPropertiesAllowed => "is not an allowed property",
            ValidationErrorKind.TooManyProperties => $"must have at most {schema?.MaxProperties} properties",
            ValidationErrorKind.TooFewProperties => $"must have at least {schema?.MinProperties} properties",
            ValidationErrorKind.NotAnyOf => "does not match any of the allowed schemas (anyOf)",
            ValidationErrorKind.NotOneOf => "must match exactly one of the allowed schemas (oneOf)",
            ValidationErrorKind.NotAllOf => "does not match all of the required schemas (allOf)",
            ValidationErrorKind.ExcludedSchemaValidates => "matches a schema it must not match (not)",
            _ => $"must be a valid {schema?.Format ?? Words(error.Kind.ToString())}",
        };
    }

    private static string Bound(decimal? exclusive, decimal? inclusive, bool isExclusive, string strict, string loose) =>
        exclusive is not null || isExclusive
            ? FormattableString.Invariant($"must be {strict} {exclusive ?? inclusive}")
            : FormattableString.Invariant($"must be {loose} {inclusive}");

    private static string Words(string pascal) =>
        string.Concat(pascal.Select((c, i) => i > 0 && char.IsUpper(c) ? " " + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()))
            .Replace(" expected", "", StringComparison.Ordinal);
}
