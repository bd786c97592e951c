using System.Text.Json;
using System.Text.Json.Nodes;
using Ratify.Functions.Workflows;

namespace Ratify.Functions.Approvals;

/// <summary>An approval step's <c>with</c>, read after its message was rendered (the definition was validated when it was stored).</summary>
public sealed record ApprovalSettings(
    string Message,
    IReadOnlyList<(string StepId, string Name)> ShowArtifacts,
    IReadOnlyList<string> Approvers,
    int Quorum,
    string? Timeout,
    string OnTimeout,
    IReadOnlyList<string> EscalateTo,
    bool AllowSelfApproval,
    string? AutoApprove)
{
    /// <summary>Reads <paramref name="with"/>; the message defaults to a question naming the step.</summary>
    public static ApprovalSettings From(string stepId, JsonObject? with)
    {
        with ??= [];
        var message = with["message"] is JsonValue m && m.GetValueKind() == JsonValueKind.String ? m.GetValue<string>() : $"Approve step '{stepId}'?";
        if (message.Length > ApprovalLimits.MaxMessageLength)
        {
            message = message[..ApprovalLimits.MaxMessageLength];
        }

        var shown = Strings(with["showArtifacts"]).Select(s => s.Split('/')).Where(p => p.Length == 2).Select(p => (p[0], p[1])).ToList();
        return new ApprovalSettings(
            message,
            shown,
            Strings(with["approvers"]),
            with["quorum"] is JsonValue q && q.TryGetValue<int>(out var quorum) ? quorum : 1,
            with["timeout"]?.GetValue<string>(),
            with["onTimeout"]?.GetValue<string>() ?? "reject",
            Strings(with["escalateTo"]),
            with["allowSelfApproval"] is JsonValue self && self.GetValueKind() == JsonValueKind.True,
            with["autoApprove"]?.GetValue<string>());
    }

    /// <summary>The timeout as a span; null without one.</summary>
    public TimeSpan? TimeoutSpan => IsoDuration.TryParse(Timeout, out var span) ? span : null;

    private static List<string> Strings(JsonNode? node) =>
        node is JsonArray array ? [.. array.Select(n => n?.GetValue<string>()).OfType<string>()] : [];
}
