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

    /// <summary>How often an idle Server-Sent Events stream sends a comment so that proxies keep it open (<c>Ratify:Stream:KeepAlive</c>). Default: 15 s.</summary>
    public TimeSpan KeepAlive { get; set; } = TimeSpan.FromSeconds(15);
}
