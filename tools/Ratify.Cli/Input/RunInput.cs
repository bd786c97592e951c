using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ratify.Cli.Input;

/// <summary>Builds a run's input from <c>--input-file</c> (a JSON object) and <c>--input key=value</c> pairs, which win.</summary>
internal static class RunInput
{
    /// <summary>The input; null when neither option was given (the server then uses the workflow's default).</summary>
    public static async Task<JsonObject?> BuildAsync(string[]? pairs, FileInfo? file, CancellationToken cancellationToken)
    {
        if ((pairs is null || pairs.Length == 0) && file is null)
        {
            return null;
        }

        var input = file is null ? [] : await ReadObjectAsync(file, "--input-file", cancellationToken).ConfigureAwait(false);
        foreach (var pair in pairs ?? [])
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw CliException.Usage($"--input '{pair}' is not key=value");
            }

            input[pair[..equals]] = Value(pair[(equals + 1)..]);
        }

        return input;
    }

    /// <summary>Reads a file that must hold one JSON object.</summary>
    public static async Task<JsonObject> ReadObjectAsync(FileInfo file, string option, CancellationToken cancellationToken)
    {
        JsonNode? node;
        try
        {
            await using var stream = file.OpenRead();
            node = await JsonNode.ParseAsync(stream, documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false }, cancellationToken: cancellationToken)
                .ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw CliException.Usage($"{option} {file.FullName}: {e.Message}");
        }
        catch (JsonException e)
        {
            throw CliException.Usage($"{option} {file.FullName} is not valid JSON: {e.Message}");
        }

        return node as JsonObject ?? throw CliException.Usage($"{option} {file.FullName} must hold a JSON object");
    }

    // A value is JSON when it parses as JSON (42, true, null, {"a":1}), and a plain string otherwise (alice, 2026-01-01).
    private static JsonNode? Value(string text)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return JsonValue.Create(text);
        }
    }
}
