using Azure;
using Ratify.Durable.History;

namespace Ratify.Durable.Storage;

/// <summary>One episode's write: new events appended after <paramref name="FirstEventIndex"/>, and the state row.</summary>
/// <param name="ExpectedETag">The state row's ETag as loaded; null when the instance has no state row yet.</param>
/// <param name="ObsoleteRowKeys">Rows of executions ended by ContinueAsNew, deleted in the same write where they fit.</param>
/// <param name="Revision">The state row's revision after this write: one more than the loaded one.</param>
/// <param name="CreatedTime">When the execution the commit belongs to started, kept on the state row for status calls.</param>
/// <param name="KeptExecutions">Earlier executions whose rows stay, recorded on the state row so that no later load deletes them.</param>
internal sealed record HistoryCommit(
    string InstanceId,
    string ExecutionId,
    string Name,
    OrchestrationRuntimeStatus Status,
    int FirstEventIndex,
    IReadOnlyList<HistoryEvent> NewEvents,
    string? CustomStatus,
    ETag? ExpectedETag,
    IReadOnlyList<string> ObsoleteRowKeys,
    long Revision,
    DateTime? CreatedTime = null,
    IReadOnlyList<string>? KeptExecutions = null);
