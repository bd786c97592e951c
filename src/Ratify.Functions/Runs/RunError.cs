namespace Ratify.Functions.Runs;

/// <summary>Why a run or step failed: a machine-readable code and a precise message.</summary>
public sealed record RunError(string Code, string Message);
