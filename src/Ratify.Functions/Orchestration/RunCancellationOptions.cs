namespace Ratify.Functions.Orchestration;

/// <summary>How hosts learn that a run they execute a step of was cancelled, bound from <c>Ratify:Cancellation</c>.</summary>
public sealed class RunCancellationOptions
{
    public const string Section = "Ratify:Cancellation";

    /// <summary>
    /// How often a host reads the cancel markers of the runs whose steps it is executing (one point read per run, only while
    /// steps run). A cancel made through this host is seen at once. Default: 1 second.
    /// </summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);
}
