namespace Ratify.Functions.Workflows;

/// <summary>A step's link to another step (a <c>dependsOn</c> entry or a <c>steps.ID</c> reference) and where it was written.</summary>
internal readonly record struct StepEdge(string Target, string Pointer);
