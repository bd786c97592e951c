using System.Xml;

namespace Ratify.Functions.Workflows;

/// <summary>ISO 8601 durations (<c>PT30S</c>, <c>P1DT2H</c>) in days, hours, minutes and seconds.</summary>
public static class IsoDuration
{
    /// <summary>Parses a positive duration; years and months are refused because their length is not fixed.</summary>
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = default;
        if (string.IsNullOrEmpty(text) || text[0] != 'P')
        {
            return false;
        }

        var datePart = text.Split('T')[0];
        if (datePart.Contains('Y', StringComparison.Ordinal) || datePart.Contains('M', StringComparison.Ordinal))
        {
            return false;
        }

        try
        {
            duration = XmlConvert.ToTimeSpan(text);
        }
        catch (FormatException)
        {
            return false;
        }
        catch (OverflowException)
        {
            return false;
        }

        return duration > TimeSpan.Zero;
    }

    /// <summary>Parses a duration that validation has already accepted.</summary>
    /// <exception cref="FormatException">The text is not a positive day-time duration.</exception>
    public static TimeSpan Parse(string text) =>
        TryParse(text, out var duration) ? duration : throw new FormatException($"'{text}' is not a positive ISO 8601 duration such as PT30S");

    /// <summary>Formats a duration the way <see cref="Parse"/> reads it.</summary>
    public static string Format(TimeSpan duration) => XmlConvert.ToString(duration);
}
