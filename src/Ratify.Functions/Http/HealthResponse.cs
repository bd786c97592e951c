namespace Ratify.Functions.Http;

/// <summary>The body of a successful <c>GET /healthz</c>: <c>{"status":"healthy"}</c>.</summary>
public sealed record HealthResponse(string Status);
