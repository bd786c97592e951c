namespace Ratify.Functions.Http;

/// <summary>The body of <c>POST /v1/stream/tickets</c>: optionally the one run the ticket is for.</summary>
/// <param name="RunId">Limits the ticket to this run's stream; leave out for the tenant stream and every run's.</param>
public sealed record StreamTicketRequest(string? RunId);
