namespace Ratify.Functions.Orchestration;

/// <summary>The run's live status moved between <c>running</c> and <c>waiting_approval</c>: what listings should now read.</summary>
public sealed record RunStatusChange(string TenantId, string RunId, string Status);
