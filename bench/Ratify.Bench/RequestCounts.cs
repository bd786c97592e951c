namespace Ratify.Bench;

/// <summary>The requests counted over one interval, keyed "service METHOD" ("observer …" for the benchmark's own waiting).</summary>
internal sealed record RequestCounts(IReadOnlyDictionary<string, RequestTally> Tallies)
{
    private const string ObserverPrefix = "observer ";

    /// <summary>The kinds of request the runtime made (the observer's left out), most frequent first.</summary>
    public IEnumerable<KeyValuePair<string, RequestTally>> Runtime =>
        Tallies.Where(t => !t.Key.StartsWith(ObserverPrefix, StringComparison.Ordinal)).OrderByDescending(t => t.Value.Count);

    public int RuntimeTotal => Runtime.Sum(t => t.Value.Count);

    public int ObserverTotal => Tallies.Where(t => t.Key.StartsWith(ObserverPrefix, StringComparison.Ordinal)).Sum(t => t.Value.Count);

    /// <summary>Detail figures: the runtime's requests per <paramref name="unit"/>, in total and by kind.</summary>
    public Dictionary<string, double> PerUnit(string scenario, string unit, int units, bool withDurations = false)
    {
        var details = new Dictionary<string, double>
        {
            [$"{scenario} detail: storage requests per {unit}"] = (double)RuntimeTotal / units,
        };
        foreach (var (kind, tally) in Runtime)
        {
            details[$"{scenario} detail: {kind} requests per {unit}"] = (double)tally.Count / units;
            if (withDurations)
            {
                details[$"{scenario} detail: {kind} mean request ms"] = tally.Seconds * 1000 / tally.Count;
            }
        }

        return details;
    }
}
