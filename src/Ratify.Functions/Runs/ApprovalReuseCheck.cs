using Ratify.Functions.Approvals;
using Ratify.Functions.Orchestration;

namespace Ratify.Functions.Runs;

/// <summary>Decides, for a replay, which approval gates of the original run may keep their decision: those whose shown artifacts are byte-identical (same SHA-256) now.</summary>
public sealed class ApprovalReuseCheck(ApprovalStore approvals, StepResultStore results)
{
    /// <summary>Every gate of the run that recorded an approval, by step id.</summary>
    public async Task<IReadOnlyDictionary<string, ApprovalReuse>> CheckAsync(
        string tenantId, string runId, IReadOnlyDictionary<string, StepProgress> steps, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(steps);
        var gates = new Dictionary<string, ApprovalReuse>(StringComparer.Ordinal);
        if (!steps.Values.Any(s => s.ApprovalId is not null))
        {
            return gates;
        }

        var artifacts = (await results.ListArtifactsAsync(runId, cancellationToken).ConfigureAwait(false))
            .ToDictionary(a => $"{a.StepId}/{a.Name}", a => a.Sha256, StringComparer.Ordinal);
        foreach (var (stepId, progress) in steps)
        {
            if (progress.ApprovalId is not { } approvalId)
            {
                continue;
            }

            var approval = await approvals.GetAsync(tenantId, approvalId, cancellationToken).ConfigureAwait(false);
            if (approval?.Status != ApprovalStatuses.Approved)
            {
                gates[stepId] = new ApprovalReuse(false, $"asks again: approval {approvalId} was not approved");
                continue;
            }

            var changed = approval.Artifacts.Where(a => artifacts.GetValueOrDefault($"{a.StepId}/{a.Name}") != a.Sha256).Select(a => $"{a.StepId}/{a.Name}").ToList();
            gates[stepId] = changed.Count == 0
                ? new ApprovalReuse(true, $"reuses approval {approvalId}: the {approval.Artifacts.Count} artifact(s) it was based on are byte-identical")
                : new ApprovalReuse(false, $"asks again: {string.Join(", ", changed)} changed since approval {approvalId}");
        }

        return gates;
    }
}
