namespace Ratify.Functions.Http;

/// <summary>The answer to an accepted webhook delivery: the run it started (or had started, for a repeated delivery).</summary>
public sealed record HookAcceptedResponse(string RunId);
