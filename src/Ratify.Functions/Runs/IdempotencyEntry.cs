namespace Ratify.Functions.Runs;

/// <summary>An Idempotency-Key as first used: the hash of the request it came with and the run it reserved.</summary>
/// <param name="RequestHash">The SHA-256 of the request's canonical form.</param>
/// <param name="RunId">The run id reserved for the request (its run may still be being written).</param>
/// <param name="CreatedAt">When the key was first used.</param>
/// <param name="Version">The row's concurrency tag: removals only succeed on the row that was read.</param>
public sealed record IdempotencyEntry(string RequestHash, string RunId, DateTimeOffset CreatedAt, string Version);
