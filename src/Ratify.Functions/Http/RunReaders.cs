using Ratify.Functions.Approvals;
using Ratify.Functions.Events;
using Ratify.Functions.Runs;
using Ratify.Functions.Workflows;

namespace Ratify.Functions.Http;

/// <summary>The services that read a whole run (bound with <c>[AsParameters]</c>).</summary>
public sealed record RunReaders(
    RunView View, WorkflowStore Workflows, StepResultStore Results, StepAttemptStore Attempts, ApprovalStore Approvals, RunEventFollower Follower,
    RunEventLog Events, RunStore Runs);
