namespace Ratify.Functions.Http;

/// <summary>The approval a gate step opened, as the run view shows it.</summary>
public sealed record RunStepApproval(string ApprovalId, string Status);
