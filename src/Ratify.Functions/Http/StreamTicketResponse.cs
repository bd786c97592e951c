namespace Ratify.Functions.Http;

/// <summary>A stream ticket: pass it as <c>?ticket=</c> to <c>GET /v1/stream</c> or <c>GET /v1/runs/{runId}/stream</c> before it expires.</summary>
/// <param name="Ticket">The credential; as secret as the key it stands for, while it lives.</param>
/// <param name="ExpiresAt">When it stops being accepted for opening a stream.</param>
/// <param name="RunId">The one run it is for, when limited to one.</param>
public sealed record StreamTicketResponse(string Ticket, DateTimeOffset ExpiresAt, string? RunId);
