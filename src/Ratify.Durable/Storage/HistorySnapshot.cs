using Azure;
using Ratify.Durable.History;

namespace Ratify.Durable.Storage;

/// <summary>An instance's committed history as loaded from storage.</summary>
/// <param name="ExecutionId">The current execution.</param>
/// <param name="Events">Its events in order.</param>
/// <param name="CustomStatus">The last custom status.</param>
/// <param name="ETag">The state row's ETag: the next commit must match it.</param>
/// <param name="RowKeys">The rows of the current execution.</param>
/// <param name="ObsoleteRowKeys">Rows of executions ended by ContinueAsNew, still to delete.</param>
/// <param name="Revision">How many episodes were committed to the state row (0 for rows written before revisions were kept).</param>
/// <param name="KeptExecutions">Earlier executions whose rows are kept (the instance id was started again after they finished).</param>
internal sealed record HistorySnapshot(
    string ExecutionId,
    IReadOnlyList<HistoryEvent> Events,
    string? CustomStatus,
    ETag ETag,
    IReadOnlyList<string> RowKeys,
    IReadOnlyList<string> ObsoleteRowKeys,
    long Revision,
    IReadOnlyList<string> KeptExecutions);
