using System.Text.Json;
using System.Text.Json.Nodes;
using Ratify.Functions.Workflows;

namespace Ratify.Functions.Http;

/// <summary>One version of a workflow: the definition as stored, which version it is, and the workflow's state.</summary>
/// <param name="Version">The version shown.</param>
/// <param name="LatestVersion">The workflow's newest version (new runs use it unless they pin another).</param>
/// <param name="Archived">True once the workflow was deleted: it keeps serving its runs but starts no new ones.</param>
/// <param name="VersionCreatedAt">When this version was stored.</param>
/// <param name="Definition">The definition of this version, in its canonical JSON form.</param>
public sealed record WorkflowResponse(
    string Id,
    string Name,
    string? Description,
    int Version,
    int LatestVersion,
    bool Archived,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset VersionCreatedAt,
    JsonObject Definition)
{
    /// <summary>The response for <paramref name="workflow"/>.</summary>
    public static WorkflowResponse From(StoredWorkflow workflow)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        var summary = workflow.Workflow;

        // Serialised with the definition's own options, so that enums and omitted fields read as they were written.
        var definition = JsonSerializer.SerializeToNode(workflow.Definition, WorkflowJson.Options)!.AsObject();
        return new WorkflowResponse(summary.Id, summary.Name, summary.Description, workflow.Version, summary.LatestVersion,
            summary.Archived, summary.CreatedAt, summary.UpdatedAt, workflow.VersionCreatedAt, definition);
    }
}
