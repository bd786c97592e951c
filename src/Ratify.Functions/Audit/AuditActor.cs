using System.Text.Json.Nodes;

namespace Ratify.Functions.Audit;

/// <summary>Who caused an audited event: an API key, an approver, a hook, a schedule, or the system itself.</summary>
/// <param name="Kind">One of <c>key</c>, <c>approver</c>, <c>hook</c>, <c>schedule</c>, <c>system</c>.</param>
/// <param name="Id">The key id, the approver's identity, the hook or schedule name; null for the system.</param>
public sealed record AuditActor(string Kind, string? Id)
{
    public const string KeyKind = "key";
    public const string ApproverKind = "approver";
    public const string HookKind = "hook";
    public const string ScheduleKind = "schedule";
    public const string SystemKind = "system";

    /// <summary>The runtime acting on its own (the orchestrator's decisions, step attempts).</summary>
    public static AuditActor System { get; } = new(SystemKind, null);

    public static AuditActor Key(string keyId) => new(KeyKind, keyId);

    public static AuditActor Approver(string identity) => new(ApproverKind, identity);

    public static AuditActor Hook(string name) => new(HookKind, name);

    public static AuditActor Schedule(string name) => new(ScheduleKind, name);

    /// <summary>Whether <paramref name="kind"/> is one of the five kinds.</summary>
    public static bool IsKnownKind(string? kind) => kind is KeyKind or ApproverKind or HookKind or ScheduleKind or SystemKind;

    /// <summary>The actor as it is hashed: <c>{"kind": …, "id": …}</c>.</summary>
    public JsonObject ToJson() => new() { ["kind"] = Kind, ["id"] = Id };

    public static AuditActor FromJson(JsonNode? node) =>
        new(node?["kind"]?.GetValue<string>() ?? string.Empty, node?["id"]?.GetValue<string>());
}
