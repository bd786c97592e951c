namespace Ratify.Functions.Runs;

/// <summary>What a retention purge deleted of one run: rows and blobs by kind, and the run's audit chain head before it went.</summary>
public sealed record RunPurge(string RunId, IReadOnlyDictionary<string, int> Deleted, long AuditSequence, string? AuditHash);
