namespace Ratify.Functions.Http;

/// <summary>A run's id and status: the answer to starting a run and to the actions that change its state.</summary>
public sealed record RunStatusResponse(string RunId, string Status);
