namespace Ratify.Functions.Workflows;

/// <summary>What the graph checks need to know of one step.</summary>
internal sealed record StepInfo(int Index, string? Id, List<StepEdge> DependsOn, List<StepEdge> References);
