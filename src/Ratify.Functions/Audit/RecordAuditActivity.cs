using Microsoft.DurableTask;

namespace Ratify.Functions.Audit;

/// <summary>Appends a record of one of the orchestrator's decisions (retrying, timed out, skipped, cancelled, finished).</summary>
/// <remarks>
/// The orchestrator does no I/O; it schedules this activity in the same history commit as the decision it records, so the
/// decision and its record are both durable or neither is. The activity runs at least once and the record id makes it append once.
/// </remarks>
public sealed class RecordAuditActivity(AuditTrail trail) : TaskActivity<AuditEntry, long>
{
    public const string Name = nameof(RecordAuditActivity);

    public override async Task<long> RunAsync(TaskActivityContext context, AuditEntry input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var scope = AuditScopes.Run(input.TenantId, input.RunId);
        var record = input.Seal
            ? await trail.AppendAndSealAsync(scope, input.Type, AuditActor.System, input.Data, input.RecordId).ConfigureAwait(false)
            : await trail.AppendAsync(scope, input.Type, AuditActor.System, input.Data, input.RecordId).ConfigureAwait(false);
        return record.Sequence;
    }
}
