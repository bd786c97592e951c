namespace Ratify.Connectors;

/// <summary>The header that carries <see cref="ConnectorContext.IdempotencyKey"/> on every outbound call, so a receiver can drop repeats.</summary>
/// <remarks>
/// Activities run at least once: after a host dies or is frozen and loses its partitions, the step runs again with the
/// same key. The http, webhook and slack connectors send it as an HTTP header; email as a message header beside the
/// stable Message-ID.
/// </remarks>
public static class IdempotencyHeader
{
    /// <summary>The header name.</summary>
    public const string Name = "Idempotency-Key";
}
