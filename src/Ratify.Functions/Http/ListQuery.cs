using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ratify.Functions.Http;

/// <summary>Reads the paging parameters of list endpoints, collecting what is wrong instead of stopping at the first problem.</summary>
internal static class ListQuery
{
    /// <summary>The largest page a list endpoint returns.</summary>
    public const int MaxLimit = 200;

    /// <summary>The page size when none is asked for.</summary>
    public const int DefaultLimit = 50;

    private static readonly string[] TimestampFormats =
    [
        "yyyy-MM-dd", "yyyy-MM-dd'T'HH:mmK", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
    ];

    /// <summary>The <c>limit</c> parameter: a whole number from 1 to <see cref="MaxLimit"/>, <see cref="DefaultLimit"/> when absent.</summary>
    public static int Limit(string? value, List<string> errors)
    {
        if (value is null)
        {
            return DefaultLimit;
        }

        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) && limit is >= 1 and <= MaxLimit)
        {
            return limit;
        }

        errors.Add($"limit must be a whole number from 1 to {MaxLimit}, not '{value}'");
        return DefaultLimit;
    }

    /// <summary>A boolean parameter (<c>true</c> or <c>false</c>), <paramref name="fallback"/> when absent.</summary>
    public static bool Flag(string name, string? value, bool fallback, List<string> errors)
    {
        if (value is null)
        {
            return fallback;
        }

        if (bool.TryParse(value, out var flag))
        {
            return flag;
        }

        errors.Add($"{name} must be true or false, not '{value}'");
        return fallback;
    }

    /// <summary>A timestamp parameter in ISO 8601 (a date, or a date and time with an offset, Z, or none for UTC); null when absent.</summary>
    public static DateTimeOffset? Timestamp(string name, string? value, List<string> errors)
    {
        if (value is null)
        {
            return null;
        }

        // An unencoded "+02:00" arrives as " 02:00": take the space back as the plus it was.
        if (DateTimeOffset.TryParseExact(value.Replace(' ', '+'), TimestampFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            return at;
        }

        errors.Add($"{name} must be an ISO 8601 date or time such as 2025-01-31 or 2025-01-31T09:30:00Z, not '{value}'");
        return null;
    }

    /// <summary>
    /// The storage continuation inside a <c>continuationToken</c> that a listing of <paramref name="scope"/> returned; null when
    /// absent. Anything else (garbage, another listing's token) is an error, not an empty page.
    /// </summary>
    public static string? ContinuationToken(string? value, string scope, List<string> errors)
    {
        if (value is null)
        {
            return null;
        }

        try
        {
            if (JsonNode.Parse(Base64Url.DecodeFromChars(value)) is JsonObject token
                && token["s"]?.GetValue<string>() == scope && token["t"]?.GetValue<string>() is { Length: > 0 } continuation)
            {
                return continuation;
            }
        }
        catch (Exception e) when (e is FormatException or JsonException or InvalidOperationException)
        {
            // Reported below like any other token that is not ours.
        }

        errors.Add("continuationToken is not one this listing returned: pass the continuationToken of the previous page unchanged");
        return null;
    }

    /// <summary>The <c>continuationToken</c> to return for the storage continuation of a listing of <paramref name="scope"/>.</summary>
    public static string? NextToken(string? continuation, string scope) =>
        continuation is null
            ? null
            : Base64Url.EncodeToString(Encoding.UTF8.GetBytes(new JsonObject { ["s"] = scope, ["t"] = continuation }.ToJsonString()));

    /// <summary>Throws a 400 listing every problem, if there is any.</summary>
    public static void ThrowIfAny(List<string> errors)
    {
        if (errors.Count > 0)
        {
            throw new BadRequestProblemException("Invalid query: " + string.Join("; ", errors) + ".");
        }
    }
}
