namespace Ratify.Functions.Security;

/// <summary>The scopes an API key can hold; each is also the name of the authorization policy that requires it.</summary>
public static class RatifyScopes
{
    /// <summary>Read runs, their steps, artifacts and audit trail.</summary>
    public const string RunsRead = "runs:read";

    /// <summary>Start and control runs.</summary>
    public const string RunsWrite = "runs:write";

    /// <summary>Create, version and archive workflow definitions.</summary>
    public const string WorkflowsWrite = "workflows:write";

    /// <summary>Resolve approvals through the API.</summary>
    public const string ApprovalsResolve = "approvals:resolve";

    /// <summary>Manage the tenant's API keys; implies every other scope within the tenant.</summary>
    public const string Admin = "admin";

    /// <summary>Every scope, in the order they are documented.</summary>
    public static IReadOnlyList<string> All { get; } = [RunsRead, RunsWrite, WorkflowsWrite, ApprovalsResolve, Admin];

    /// <summary>Whether <paramref name="scope"/> is one of <see cref="All"/> (exact, case-sensitive).</summary>
    public static bool IsKnown(string? scope) => scope is not null && All.Contains(scope, StringComparer.Ordinal);
}
