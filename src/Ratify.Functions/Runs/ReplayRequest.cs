using System.Text.Json.Nodes;

namespace Ratify.Functions.Runs;

/// <summary>A replay of a run from one step, with the original input unless <paramref name="Input"/> replaces it.</summary>
/// <param name="DryRun">Only plan: start nothing.</param>
/// <param name="RerunIrreversible">Allow completed irreversible steps to run again.</param>
public sealed record ReplayRequest(string FromStep, JsonNode? Input, bool DryRun, bool RerunIrreversible, string CreatedBy);
