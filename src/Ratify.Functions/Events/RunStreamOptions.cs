namespace Ratify.Functions.Events;

/// <summary>How run event streams follow storage, bound from <c>Ratify:Stream</c>.</summary>
public sealed class RunStreamOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Ratify:Stream";

    /// <summary>
    /// How often a stream reads storage for events written by other hosts (<c>Ratify:Stream:PollInterval</c>); events written on
    /// the stream's own host wake it at once. Default: 250 ms.
    /// </summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// How often a <c>POST /v1/runs?wait</c> waiter reads storage for the run's end (<c>Ratify:Stream:WaitPollInterval</c>); a run whose
    /// events this host writes ends the wait at once from memory. Default: 1 s.
    /// </summary>
    public TimeSpan WaitPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How often an open stream checks that the API key it was opened with (directly or through a ticket) is not revoked
    /// (<c>Ratify:Stream:KeyCheckInterval</c>); a revoked key's streams close within this. Default: 30 s.
    /// </summary>
    public TimeSpan KeyCheckInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often an idle Server-Sent Events stream sends a comment so that proxies keep it open (<c>Ratify:Stream:KeepAlive</c>). Default: 15 s.</summary>
    public TimeSpan KeepAlive { get; set; } = TimeSpan.FromSeconds(15);
}
