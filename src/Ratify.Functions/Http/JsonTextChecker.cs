using System.Text.Json;
using System.Text.Unicode;
using Ratify.Functions.Workflows;

namespace Ratify.Functions.Http;

/// <summary>
/// Finds text in a JSON document that is not text: raw bytes that are not UTF-8, and escaped lone UTF-16 surrogates
/// (<c>"\ud800"</c>), in values and property names alike, each with its JSON pointer.
/// </summary>
/// <remarks>
/// The JSON parser accepts both and then either fails deep inside a handler or replaces them with U+FFFD; a request must
/// instead be refused whole, so that nothing it carries is changed silently. Syntax errors are left to the parser.
/// </remarks>
internal static class JsonTextChecker
{
    /// <summary>Reports at most this many places: the first few are enough to fix a client.</summary>
    private const int MaxErrors = 20;

    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 256 };

    /// <summary>Every place in <paramref name="json"/> with malformed text; empty when all text is well formed (or the JSON is not valid at all).</summary>
    public static IReadOnlyList<ProblemError> Check(ReadOnlySpan<byte> json)
    {
        var errors = new List<ProblemError>();
        var containers = new Stack<Container>();
        string? propertyName = null;
        var reader = new Utf8JsonReader(json, ReaderOptions);
        try
        {
            while (reader.Read() && errors.Count < MaxErrors)
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        propertyName = ReadText(ref reader, out var nameProblem);
                        if (nameProblem is not null)
                        {
                            errors.Add(new(Pointer(containers, null), $"A property name here {nameProblem}."));
                            propertyName = "\uFFFD";
                        }

                        break;
                    case JsonTokenType.String:
                        var segment = NextSegment(containers, propertyName);
                        _ = ReadText(ref reader, out var valueProblem);
                        if (valueProblem is not null)
                        {
                            errors.Add(new(Pointer(containers, segment), $"The value {valueProblem}."));
                        }

                        break;
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        var start = containers.Count == 0 ? null : NextSegment(containers, propertyName);
                        containers.Push(new Container(start, reader.TokenType == JsonTokenType.StartArray));
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        containers.Pop();
                        break;
                    case JsonTokenType.Comment or JsonTokenType.None:
                        break;
                    default:
                        _ = NextSegment(containers, propertyName);
                        break;
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON: the endpoint's own parser says what is wrong with it.
        }

        return errors;
    }

    /// <summary>The current string token as text; <paramref name="problem"/> says why it is not text.</summary>
    private static string? ReadText(ref Utf8JsonReader reader, out string? problem)
    {
        // Escapes are ASCII, so the raw token is valid UTF-8 exactly when its unescaped bytes are.
        if (!Utf8.IsValid(reader.HasValueSequence ? System.Buffers.BuffersExtensions.ToArray(reader.ValueSequence) : reader.ValueSpan))
        {
            problem = "contains bytes that are not UTF-8; send text encoded as UTF-8";
            return null;
        }

        try
        {
            problem = null;
            return reader.GetString();
        }
        catch (InvalidOperationException)
        {
            problem = "contains an escaped lone UTF-16 surrogate (such as \\ud800), which is not a character; send well-formed Unicode";
            return null;
        }
    }

    /// <summary>The reference token of the value that starts now in the innermost container (an array index or the property name).</summary>
    private static string? NextSegment(Stack<Container> containers, string? propertyName)
    {
        if (containers.Count == 0)
        {
            return null;
        }

        var container = containers.Peek();
        if (!container.IsArray)
        {
            return propertyName;
        }

        return (container.NextIndex++).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    private static string Pointer(Stack<Container> containers, string? last)
    {
        var pointer = string.Empty;
        foreach (var container in containers.Reverse())
        {
            if (container.Segment is { } segment)
            {
                pointer = JsonPointer.Append(pointer, segment);
            }
        }

        return last is null ? pointer : JsonPointer.Append(pointer, last);
    }

    private sealed class Container(string? segment, bool isArray)
    {
        public string? Segment { get; } = segment;

        public bool IsArray { get; } = isArray;

        public int NextIndex { get; set; }
    }
}
