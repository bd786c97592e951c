namespace Ratify.Functions.Workflows;

/// <summary>Builds RFC 6901 JSON pointers.</summary>
internal static class JsonPointer
{
    /// <summary>Appends one reference token, escaping <c>~</c> and <c>/</c>.</summary>
    public static string Append(string pointer, string token) =>
        pointer + "/" + token.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    /// <summary>Appends an array index.</summary>
    public static string Append(string pointer, int index) =>
        pointer + "/" + index.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Joins a base pointer and a pointer relative to it (which may be empty or lack its leading slash).</summary>
    public static string Combine(string pointer, string relative) =>
        relative.Length == 0 ? pointer : relative[0] == '/' ? pointer + relative : pointer + "/" + relative;
}
