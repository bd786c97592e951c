namespace Ratify.Connectors.Outbound;

/// <summary>Thrown when a call is redirected more often than <see cref="OutboundOptions.MaxRedirects"/> allows.</summary>
public sealed class TooManyRedirectsException : HttpRequestException
{
    /// <summary>Creates the exception naming the limit that was reached.</summary>
    public TooManyRedirectsException(int limit)
        : base($"The call was redirected more than {limit} times.")
    {
    }
}
