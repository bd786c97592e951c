using System.CommandLine.Parsing;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Ratify.Cli.Input;

/// <summary>Parses <c>--wait</c> values such as <c>30s</c>, <c>1m</c> or <c>45</c> (seconds).</summary>
internal static partial class WaitTime
{
    /// <summary>The longest wait the server holds a request for.</summary>
    public static readonly TimeSpan Max = TimeSpan.FromSeconds(60);

    /// <summary>A System.CommandLine parser: the value, or a parse error that makes the command a usage error.</summary>
    public static TimeSpan? Parse(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : null;
        if (text is null || Pattern().Match(text) is not { Success: true } m)
        {
            result.AddError($"--wait must be a duration such as 30s or 1m, not '{text}'");
            return null;
        }

        var amount = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        var wait = m.Groups[2].Value == "m" ? TimeSpan.FromMinutes(amount) : TimeSpan.FromSeconds(amount);
        if (wait > Max || wait <= TimeSpan.Zero)
        {
            result.AddError($"--wait must be between 1s and {Max.TotalSeconds:0}s (the server's limit); follow longer runs with `ratify runs watch`");
            return null;
        }

        return wait;
    }

    [GeneratedRegex("^([0-9]{1,5})(s|m)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
