using Ratify.Functions.Runs;

namespace Ratify.Functions.Http;

/// <summary>The answer of <c>POST /v1/admin/purge</c>: what was deleted of each run, and whether more runs match.</summary>
public sealed record PurgeRunsResponse(IReadOnlyList<RunPurge> Purged, bool More);
