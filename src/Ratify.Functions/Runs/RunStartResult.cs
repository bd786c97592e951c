namespace Ratify.Functions.Runs;

/// <summary>The run a start request got: <paramref name="Replayed"/> when an Idempotency-Key returned an earlier request's run.</summary>
public sealed record RunStartResult(string RunId, string Status, bool Replayed);
