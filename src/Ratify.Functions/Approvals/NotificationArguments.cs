using System.Text;
using System.Text.Json.Nodes;

namespace Ratify.Functions.Approvals;

/// <summary>Turns a gate's <c>notify</c> entry into its connector's arguments: Slack gets the message with link buttons, email the links in its text, a webhook the whole notice.</summary>
public static class NotificationArguments
{
    /// <summary>The connectors a gate can notify through.</summary>
    public static IReadOnlyList<string> Supported { get; } = ["slack", "email", "webhook"];

    /// <summary>The arguments as they will look at run time, with stand-in values, for the connector's own checks when a workflow is defined.</summary>
    public static JsonObject Sample(string connector, JsonObject with)
    {
        var notice = new JsonObject { ["message"] = "Approve?" };
        var link = new ApprovalLink("approver@example.com", "https://ratify.example.com/context", "https://ratify.example.com/resolve");
        var recipient = with["to"] is null ? "approver@example.com" : null;
        return Build(connector, with, notice, [link], recipient);
    }

    /// <summary>The connector's arguments for one delivery; <paramref name="recipient"/> replaces an email's <c>to</c>.</summary>
    public static JsonObject Build(string connector, JsonObject with, JsonObject notice, IReadOnlyList<ApprovalLink> links, string? recipient)
    {
        ArgumentNullException.ThrowIfNull(with);
        ArgumentNullException.ThrowIfNull(notice);
        var arguments = (JsonObject)with.DeepClone();
        var message = notice["message"]?.GetValue<string>() ?? "";
        switch (connector)
        {
            case "slack":
                arguments["text"] ??= Text(notice, links, withResolve: false);
                if (links.Count > 0)
                {
                    arguments["buttons"] = new JsonArray([.. links.Take(20).Select(l => (JsonNode)new JsonObject
                    {
                        ["text"] = links.Count == 1 ? "Review and decide" : $"Review as {l.Approver}",
                        ["url"] = l.ContextUrl,
                        ["style"] = "primary",
                    })]);
                }

                break;
            case "email":
                if (recipient is not null)
                {
                    arguments["to"] = recipient;
                }

                arguments["subject"] ??= "Approval needed: " + FirstLine(message, 100);
                arguments["text"] ??= Text(notice, links, withResolve: true);
                break;
            case "webhook":
                arguments["payload"] = notice.DeepClone();
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(connector), connector, "Gates notify through slack, email or webhook.");
        }

        return arguments;
    }

    private static string Text(JsonObject notice, IReadOnlyList<ApprovalLink> links, bool withResolve)
    {
        var text = new StringBuilder();
        text.AppendLine(notice["message"]?.GetValue<string>());
        if (notice["runId"] is { } runId)
        {
            text.AppendLine().Append("Run ").Append(runId.GetValue<string>()).Append(", step ").AppendLine(notice["stepId"]?.GetValue<string>());
        }

        if (notice["artifacts"] is JsonArray { Count: > 0 } artifacts)
        {
            text.AppendLine("Artifacts:");
            foreach (var artifact in artifacts)
            {
                text.Append("  ").Append(artifact!["stepId"]).Append('/').Append(artifact["name"]).Append("  sha256 ").AppendLine(artifact["sha256"]?.ToString());
            }
        }

        foreach (var link in links)
        {
            text.AppendLine().Append("Review and decide: ").AppendLine(link.ContextUrl);
            if (withResolve)
            {
                text.Append("Or decide with a POST of {\"decision\": \"approved\"|\"rejected\", \"note\": \"…\"} to: ").AppendLine(link.ResolveUrl);
            }
        }

        if (notice["expiresAt"] is { } expiresAt)
        {
            text.AppendLine().Append("The links expire at ").Append(expiresAt.GetValue<string>()).AppendLine(".");
        }

        return text.ToString();
    }

    private static string FirstLine(string text, int max)
    {
        var line = text.Split('\n')[0].Trim();
        return line.Length <= max ? line : line[..max] + "…";
    }
}
