namespace Ratify.Functions.Workflows;

/// <summary>Validates an ISO 8601 duration string against an upper bound.</summary>
internal static class DurationCheck
{
    public static TimeSpan? Check(string text, string pointer, TimeSpan max, List<DefinitionError> errors)
    {
        if (!IsoDuration.TryParse(text, out var duration))
        {
            errors.Add(new DefinitionError(pointer, $"'{text}' is not a positive ISO 8601 duration in days, hours, minutes or seconds (e.g. PT30S, PT5M, P1D)"));
            return null;
        }

        if (duration > max)
        {
            errors.Add(new DefinitionError(pointer, $"'{text}' is longer than the maximum of {IsoDuration.Format(max)}"));
            return null;
        }

        return duration;
    }
}
