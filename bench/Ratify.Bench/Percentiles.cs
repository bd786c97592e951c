namespace Ratify.Bench;

/// <summary>Percentiles by linear interpolation between the closest ranks.</summary>
internal static class Percentiles
{
    public static double Median(IEnumerable<double> values) => Of(values, 50);

    /// <summary>The <paramref name="percentile"/>th percentile (0–100) of <paramref name="values"/>.</summary>
    public static double Of(IEnumerable<double> values, double percentile)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            throw new ArgumentException("No values to take a percentile of.", nameof(values));
        }

        var rank = percentile / 100 * (sorted.Length - 1);
        var below = (int)Math.Floor(rank);
        var above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + ((rank - below) * (sorted[above] - sorted[below]));
    }
}
