namespace Ratify.Functions.Runs;

/// <summary>A run's row as its last writer left it: the row's ETag then, and the status, workflow and version it held.</summary>
/// <remarks>
/// While the ETag still matches, the row is exactly this, so a status change can be decided without reading it first. Any
/// other write (a pause, a cancel, a duplicate of this change) moves the ETag, and the change is decided on a fresh read.
/// </remarks>
public sealed record KnownRunRow(string ETag, string Status, string WorkflowId, int Version);
