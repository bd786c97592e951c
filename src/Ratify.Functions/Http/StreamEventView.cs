using System.Text.Json.Nodes;
using Ratify.Functions.Events;
using Ratify.Functions.Security;

namespace Ratify.Functions.Http;

/// <summary>An event as one caller sees it: approval events carry the links to act on them only for keys allowed to resolve.</summary>
internal static class StreamEventView
{
    /// <summary>The event's JSON for <paramref name="caller"/>; with its feed cursor when <paramref name="withCursor"/> (the tenant stream).</summary>
    public static JsonObject Render(RunEvent e, CallerContext caller, bool withCursor)
    {
        var json = withCursor ? e.ToTenantJson() : e.ToJson();
        if (e.Type == RunEventTypes.ApprovalRequested && caller.HasScope(RatifyScopes.ApprovalsResolve)
            && json["data"] is JsonObject data && data["approvalId"]?.GetValue<string>() is { } approvalId)
        {
            var approval = Uri.EscapeDataString(approvalId);
            var run = Uri.EscapeDataString(e.RunId);
            data["links"] = new JsonObject
            {
                ["approval"] = $"/v1/approvals/{approval}",
                ["approve"] = $"/v1/runs/{run}/approvals/{approval}/approve",
                ["reject"] = $"/v1/runs/{run}/approvals/{approval}/reject",
            };
        }

        return json;
    }
}
