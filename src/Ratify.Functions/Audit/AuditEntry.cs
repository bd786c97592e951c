using System.Text.Json.Nodes;

namespace Ratify.Functions.Audit;

/// <summary>A record the orchestrator asks <see cref="RecordAuditActivity"/> to append to its run's chain.</summary>
/// <param name="TenantId">The run's tenant.</param>
/// <param name="RunId">The run.</param>
/// <param name="RecordId">Deterministic id (execution, step, attempt, event), so that a re-executed activity appends once.</param>
/// <param name="Type">The record type.</param>
/// <param name="Data">The record's data.</param>
/// <param name="Seal">Sign the chain's head after appending (the run's last record).</param>
public sealed record AuditEntry(string TenantId, string RunId, string RecordId, string Type, JsonObject Data, bool Seal = false);
