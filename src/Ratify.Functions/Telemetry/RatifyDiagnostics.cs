using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Ratify.Functions.Telemetry;

/// <summary>The source of Ratify's own spans and the meter of its own metrics, both named <see cref="Name"/>.</summary>
/// <remarks>
/// Nothing listens unless telemetry is configured: <see cref="ActivitySource.StartActivity(string, ActivityKind)"/> then
/// returns null and the instruments record nothing, so the engine pays almost nothing for them.
/// </remarks>
public static class RatifyDiagnostics
{
    /// <summary>The name of the activity source and of the meter.</summary>
    public const string Name = "Ratify";

    /// <summary>Starts runs' and steps' spans.</summary>
    public static ActivitySource Source { get; } = new(Name);

    /// <summary>Holds the counters and histograms of <see cref="RunMetrics"/>.</summary>
    internal static Meter Meter { get; } = new(Name);
}
