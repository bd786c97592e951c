using System.Globalization;

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

    /// <summary>Throws a 400 listing every problem, if there is any.</summary>
    public static void ThrowIfAny(List<string> errors)
    {
        if (errors.Count > 0)
        {
            throw new BadRequestProblemException("Invalid query: " + string.Join("; ", errors) + ".");
        }
    }
}
