using System.Globalization;
using System.Text.RegularExpressions;

namespace Ratify.Functions.Http;

/// <summary>The body of <c>POST /v1/admin/purge</c>: purge runs that finished before a time, optionally only the ones named.</summary>
public sealed partial record PurgeRunsRequest(string? FinishedBefore, IReadOnlyList<string?>? RunIds)
{
    /// <summary>The most runs one request purges; a larger backlog is purged by calling again while <c>more</c> is true.</summary>
    public const int MaxRuns = 100;

    /// <summary>Every error in the request, each with its JSON pointer; <paramref name="cutoff"/> is the parsed time when valid.</summary>
    public IReadOnlyList<ProblemError> Validate(out DateTimeOffset cutoff)
    {
        var errors = new List<ProblemError>();
        cutoff = default;
        if (string.IsNullOrWhiteSpace(FinishedBefore))
        {
            errors.Add(new("/finishedBefore", "finishedBefore is required: an ISO 8601 date and time with an offset, such as 2026-01-01T00:00:00Z."));
        }
        else if (!OffsetSuffix().IsMatch(FinishedBefore)
            || !DateTimeOffset.TryParseExact(FinishedBefore, ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"], CultureInfo.InvariantCulture, DateTimeStyles.None, out cutoff))
        {
            errors.Add(new("/finishedBefore", $"'{FinishedBefore}' is not an ISO 8601 date and time with an offset, such as 2026-01-01T00:00:00Z."));
        }

        if (RunIds is { } runIds)
        {
            if (runIds.Count is 0 or > MaxRuns)
            {
                errors.Add(new("/runIds", $"runIds holds 1 to {MaxRuns} run ids; leave it out to purge every run finished before finishedBefore."));
            }

            for (var i = 0; i < runIds.Count; i++)
            {
                if (string.IsNullOrWhiteSpace(runIds[i]))
                {
                    errors.Add(new($"/runIds/{i}", "A run id is required."));
                }
            }
        }

        return errors;
    }

    [GeneratedRegex(@"(Z|[+-][0-9]{2}:[0-9]{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex OffsetSuffix();
}
