namespace Ratify.Functions.Workflows;

/// <summary>What the graph checks need to know of one step.</summary>
/// <param name="Artifacts">The artifact names the step declares.</param>
/// <param name="Shown">For an approval step: the artifacts it shows (<c>step/name</c>), each with its pointer.</param>
/// <param name="IsConnector">Whether a connector runs the step (a connector may publish artifacts of its own).</param>
internal sealed record StepInfo(int Index, string? Id, List<StepEdge> DependsOn, List<StepEdge> References)
{
    public List<string> Artifacts { get; } = [];

    public List<(string Step, string Name, string Pointer)> Shown { get; } = [];

    public bool IsConnector { get; set; }
}
