using System.Text.Json.Nodes;
using Ratify.Functions.Audit;
using Ratify.Functions.Orchestration;

namespace Ratify.Functions.Runs;

/// <summary>What a new run is started with, besides its workflow version.</summary>
/// <param name="TenantId">The tenant that owns the run.</param>
/// <param name="Input">The run's input (already validated against the schema).</param>
/// <param name="CreatedBy">The API key id (or system actor) that started it.</param>
/// <param name="RunId">A run id reserved beforehand (an idempotency key holds it); a fresh one when null.</param>
/// <param name="ReplayOf">The run this one replays.</param>
/// <param name="Reuse">Steps whose recorded results the run takes over instead of executing them.</param>
/// <param name="Actor">Who started it, as the audit records it; the key <paramref name="CreatedBy"/> when null.</param>
public sealed record RunLaunch(
    string TenantId,
    JsonNode? Input,
    string CreatedBy,
    string? RunId = null,
    string? ReplayOf = null,
    IReadOnlyDictionary<string, ReusedStep>? Reuse = null,
    AuditActor? Actor = null);
