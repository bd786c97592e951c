using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Ratify.Functions.Workflows;

namespace Ratify.Functions.Http;

/// <summary>
/// Describes a body that System.Text.Json could not bind in the caller's terms: the JSON pointer of the field and the JSON
/// type it needs, never the .NET type it was bound to (<c>Ratify.Functions.Http.StartRunRequest</c>, <c>Nullable`1</c>).
/// </summary>
internal static partial class JsonBindingProblem
{
    public static ProblemDetails Create(HttpContext context, int status, JsonException exception)
    {
        var pointer = ToPointer(exception.Path);
        if (ConvertedTo().IsMatch(exception.Message))
        {
            // The message names the .NET type that failed (often the containing record): the field's own type says more.
            // The exception handler has cleared the request's endpoint; the feature keeps the one that failed.
            var endpoint = context.Features.Get<IExceptionHandlerFeature>()?.Endpoint ?? context.GetEndpoint();
            var bodyType = endpoint?.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType;
            var expected = TypeAt(bodyType, pointer) is { } type ? Describe(type) : "of another JSON type";
            return ProblemResponses.Create(status, $"The value at '{pointer}' must be {expected}.", [new("errors", new[] { new ProblemError(pointer, $"must be {expected}") })]);
        }

        // A syntax error: the parser's reason, where it is, and no .NET names should the parser ever mention one.
        var reason = DotNetName().Replace(Location().Replace(exception.Message, string.Empty), "a value").TrimEnd('.', ' ');
        var where = exception.LineNumber is { } line && exception.BytePositionInLine is { } position
            ? string.Create(CultureInfo.InvariantCulture, $" (line {line + 1}, byte {position + 1})")
            : string.Empty;
        return ProblemResponses.Create(status, $"The body is not valid JSON: {reason}{where}.", [new("errors", new[] { new ProblemError(pointer, reason) })]);
    }

    /// <summary>A binding failure's message without the parameter's .NET type (<c>Failed to read parameter "StartRunRequest request"…</c>).</summary>
    public static string Scrub(string message) =>
        DotNetName().Replace(Parameter().Replace(message, "the body"), "a value");

    /// <summary>A JSON path as System.Text.Json writes it (<c>$.steps[0]['a b']</c>) as a JSON pointer (<c>/steps/0/a b</c>).</summary>
    internal static string ToPointer(string? path)
    {
        var pointer = string.Empty;
        foreach (Match token in PathToken().Matches(path ?? string.Empty))
        {
            pointer = token.Groups["index"].Success
                ? JsonPointer.Append(pointer, int.Parse(token.Groups["index"].Value, CultureInfo.InvariantCulture))
                : JsonPointer.Append(pointer, token.Groups["quoted"].Success ? token.Groups["quoted"].Value : token.Groups["name"].Value);
        }

        return pointer;
    }

    /// <summary>The .NET type bound at <paramref name="pointer"/> inside <paramref name="bodyType"/>; null when the path leaves what is known.</summary>
    private static Type? TypeAt(Type? bodyType, string pointer)
    {
        var type = bodyType;
        foreach (var segment in pointer.Split('/').Skip(1))
        {
            if (type is null)
            {
                return null;
            }

            type = Nullable.GetUnderlyingType(type) ?? type;
            var element = ElementType(type);
            type = element is not null && segment.All(char.IsAsciiDigit)
                ? element
                : type.GetProperty(segment, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase)?.PropertyType;
        }

        return type;
    }

    private static Type? ElementType(Type type) =>
        type == typeof(string) ? null
        : type.IsArray ? type.GetElementType()
        : type.GetInterfaces().Append(type).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0];

    private static string Describe(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type switch
        {
            _ when type == typeof(string) => "a string",
            _ when type == typeof(bool) => "true or false",
            _ when type == typeof(int) || type == typeof(long) || type == typeof(short) => "a whole number",
            _ when type == typeof(double) || type == typeof(decimal) || type == typeof(float) => "a number",
            _ when type == typeof(DateTimeOffset) || type == typeof(DateTime) => "a date-time string",
            _ when type.IsEnum => "one of the documented strings",
            _ when ElementType(type) is not null => "an array",
            _ => "an object",
        };
    }

    [GeneratedRegex(@"could not be converted to ")]
    private static partial Regex ConvertedTo();

    [GeneratedRegex(@"\s*Path: .*$")]
    private static partial Regex Location();

    [GeneratedRegex(@"\b(?:System|Microsoft|Ratify)\.[\w.`\[\]]+")]
    private static partial Regex DotNetName();

    [GeneratedRegex("""(?:parameter|Parameter) "[^"]*"(?: from the request body)?""")]
    private static partial Regex Parameter();

    [GeneratedRegex(@"\.(?<name>[^.\[]+)|\['(?<quoted>(?:[^'\\]|\\.)*)'\]|\[(?<index>\d+)\]")]
    private static partial Regex PathToken();
}
