namespace Ratify.Functions.Http;

/// <summary>The answer to a replay: the new run, and the run it replays.</summary>
public sealed record ReplayStartedResponse(string RunId, string Status, string ReplayOf);
