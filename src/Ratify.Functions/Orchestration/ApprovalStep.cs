namespace Ratify.Functions.Orchestration;

/// <summary>The input of the approval activities: the gate's step execution and its approval id (made by the orchestrator, so that a repeated activity finds the same approval).</summary>
/// <param name="Round">For notifications: 0 for the first request, 1 after an escalation.</param>
/// <param name="TimedOut">For settling: the gate's durable timer fired.</param>
public sealed record ApprovalStep(StepExecution Execution, string ApprovalId, int Round = 0, bool TimedOut = false);
