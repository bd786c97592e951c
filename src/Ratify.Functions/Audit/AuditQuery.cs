namespace Ratify.Functions.Audit;

/// <summary>A filter over a tenant's audit records; every part is optional.</summary>
public sealed record AuditQuery(DateTimeOffset? From, DateTimeOffset? To, string? Type, AuditActor? Actor, int Limit, string? ContinuationToken);
