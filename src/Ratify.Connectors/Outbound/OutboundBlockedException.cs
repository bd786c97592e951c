namespace Ratify.Connectors.Outbound;

/// <summary>Thrown when the SSRF guard refuses a destination; connectors report it as the non-retryable failure <c>ssrf_blocked</c>.</summary>
public sealed class OutboundBlockedException : Exception
{
    /// <summary>Creates the exception for a refused host and the reason it was refused.</summary>
    public OutboundBlockedException(string host, string reason)
        : base($"Outbound call to '{host}' refused: {reason}. Add the host to {OutboundOptions.SectionName}:AllowedHosts to allow it.")
    {
        Host = host;
        Reason = reason;
    }

    /// <summary>The host as the caller wrote it.</summary>
    public string Host { get; }

    /// <summary>Why it was refused, e.g. "it resolves to 10.0.0.1, a private address".</summary>
    public string Reason { get; }
}
