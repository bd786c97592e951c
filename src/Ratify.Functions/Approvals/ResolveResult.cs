namespace Ratify.Functions.Approvals;

/// <summary>What came of one decision sent to a gate.</summary>
public enum ResolveResult
{
    /// <summary>This decision settled the gate; the run is resuming.</summary>
    Decided,

    /// <summary>The vote counts, but the quorum is not reached yet.</summary>
    VoteRecorded,

    /// <summary>The gate was settled before (this decision changed nothing).</summary>
    AlreadyDecided,

    /// <summary>This approver has voted already.</summary>
    AlreadyVoted,

    /// <summary>The run ended while the gate waited; it takes no decision.</summary>
    Cancelled,

    /// <summary>The caller is not one of the gate's approvers.</summary>
    NotAnApprover,

    /// <summary>The caller started the run and the gate does not allow self-approval.</summary>
    SelfApproval,

    /// <summary>The approval belongs to another run than the one named.</summary>
    NotFound,
}
