using System.Text.Json.Nodes;
using Ratify.Functions.Workflows;

namespace Ratify.Functions.Http;

/// <summary>The body of <c>POST /v1/runs</c>: the workflow, its input, and optionally a pinned version (the latest otherwise).</summary>
public sealed record StartRunRequest(string? WorkflowId, JsonNode? Input = null, int? Version = null)
{
    /// <summary>Every error in the request's shape, each with its JSON pointer (the input itself is checked against the workflow's schema).</summary>
    public IReadOnlyList<ProblemError> Validate()
    {
        var errors = new List<ProblemError>();
        if (string.IsNullOrEmpty(WorkflowId))
        {
            errors.Add(new("/workflowId", "workflowId is required: the id of the workflow to run."));
        }
        else if (!DefinitionNames.IsWorkflowId(WorkflowId))
        {
            errors.Add(new("/workflowId", $"'{WorkflowId}' is not a workflow id: it must match {DefinitionNames.WorkflowIdPattern}."));
        }

        if (Version is < 1)
        {
            errors.Add(new("/version", "version must be 1 or more (leave it out for the latest version)."));
        }

        return errors;
    }
}
