namespace Ratify.Functions.Audit;

/// <summary>Names of audit chains. Tenant ids and run ids hold no <c>/</c>, so a scope names its tenant unambiguously.</summary>
public static class AuditScopes
{
    /// <summary>The chain of one run (every execution of it: retries continue the same chain).</summary>
    public static string Run(string tenantId, string runId) => $"{tenantId}/runs/{runId}";

    /// <summary>The tenant's own log: workflow versions, keys.</summary>
    public static string Tenant(string tenantId) => $"{tenantId}/log";

    /// <summary>The tenant a scope belongs to.</summary>
    public static string TenantOf(string scope) => scope[..scope.IndexOf('/', StringComparison.Ordinal)];
}
