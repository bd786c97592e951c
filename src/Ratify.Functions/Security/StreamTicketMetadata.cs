namespace Ratify.Functions.Security;

/// <summary>Marks an endpoint that accepts a stream ticket (<c>?ticket=</c>) in place of an API key header: the event streams only.</summary>
public sealed class StreamTicketMetadata
{
    public static readonly StreamTicketMetadata Instance = new();
}
