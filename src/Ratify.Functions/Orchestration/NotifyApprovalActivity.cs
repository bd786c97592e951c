using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Ratify.Connectors;
using Microsoft.DurableTask;
using Ratify.Functions.Approvals;
using Ratify.Functions.Runs;
using Ratify.Functions.Workflows;

namespace Ratify.Functions.Orchestration;

/// <summary>
/// Sends a gate's notifications for one round (each approver reached by link gets links of their own), retrying each delivery,
/// and records every delivery's outcome on the approval. Then reads the approval again: a decision already stored is reported.
/// </summary>
/// <remarks>
/// A failed notification never fails the gate: it is visible on the approval, and the approval can still be decided.
/// Runs at least once: deliveries recorded as sent in this round are not sent again.
/// </remarks>
public sealed class NotifyApprovalActivity(
    WorkflowStore workflows,
    RunScopeReader scopes,
    StepResultStore results,
    ApprovalStore approvals,
    ApprovalLinkFactory links,
    ExpressionEngine expressions,
    ConnectorCatalog connectors,
    ISecretStore secrets,
    IOptions<ApprovalOptions> options,
    TimeProvider time) : TaskActivity<ApprovalStep, ApprovalProgress>
{
    public const string Name = nameof(NotifyApprovalActivity);

    /// <summary>Attempts per delivery, and the pause before each further one.</summary>
    private static readonly TimeSpan[] Backoff = [TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(2)];

    public override async Task<ApprovalProgress> RunAsync(TaskActivityContext context, ApprovalStep input)
    {
        var execution = input.Execution;
        var approval = await approvals.GetAsync(execution.TenantId, input.ApprovalId).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Approval {input.ApprovalId} has no record.");
        var definition = await workflows.GetDefinitionAsync(execution.TenantId, execution.WorkflowId, execution.Version).ConfigureAwait(false);
        var step = definition.Steps.Single(s => s.Id == execution.StepId);
        if (approval.Status == ApprovalStatuses.Pending && step.Notify is { Count: > 0 } notify)
        {
            var scope = await scopes.ReadAsync(execution).ConfigureAwait(false);
            var people = input.Round == 0 ? approval.People.ToList() : [.. approval.EscalateTo];
            var personal = people.ToDictionary(p => p, p => links.Create(approval, p), StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i < notify.Count; i++)
            {
                var with = expressions.RenderTemplate(notify[i].With ?? [], scope, secrets.Get) as JsonObject ?? [];
                foreach (var (key, recipient) in Deliveries(i, notify[i].Connector, with, people))
                {
                    if (approval.Notifications.Any(n => n.Key == key && n.Round == input.Round && n.Status == "sent"))
                    {
                        continue;
                    }

                    var shown = recipient is null ? [.. personal.Values] : personal.TryGetValue(recipient, out var own) ? [own] : new List<ApprovalLink>();
                    var notice = Notice(approval, shown);
                    var arguments = NotificationArguments.Build(notify[i].Connector, with, notice, shown, recipient);
                    var sent = await DeliverAsync(execution, approval, key, notify[i].Connector, input.Round, arguments).ConfigureAwait(false);
                    await approvals.UpdateAsync(approval.TenantId, approval.ApprovalId, current =>
                        (current with { Notifications = [.. current.Notifications.Where(n => n.Key != key || n.Round != input.Round), sent] }, 0)).ConfigureAwait(false);
                }
            }
        }

        var now = await approvals.GetAsync(execution.TenantId, input.ApprovalId).ConfigureAwait(false);
        return new ApprovalProgress(null, now?.ExpiresAt, now is not null && ApprovalStatuses.IsDecided(now.Status), input.Round);
    }

    /// <summary>One delivery per entry, except email: one per recipient (the <c>to</c> given, else this round's people).</summary>
    private static IEnumerable<(string Key, string? Recipient)> Deliveries(int index, string connector, JsonObject with, IReadOnlyList<string> people)
    {
        if (connector != "email")
        {
            return [($"{index}", null)];
        }

        var to = with["to"] switch
        {
            JsonArray array => array.Select(n => n?.ToString()).OfType<string>().ToList(),
            JsonValue value => [value.ToString()],
            _ => [.. people],
        };
        return to.Select(address => ($"{index}:{address}", (string?)address));
    }

    private JsonObject Notice(ApprovalRecord approval, IReadOnlyList<ApprovalLink> shown)
    {
        var notice = new JsonObject
        {
            ["approvalId"] = approval.ApprovalId,
            ["runId"] = approval.RunId,
            ["workflowId"] = approval.WorkflowId,
            ["stepId"] = approval.StepId,
            ["message"] = approval.Message,
            ["artifacts"] = JsonSerializer.SerializeToNode(approval.Artifacts, new JsonSerializerOptions(JsonSerializerDefaults.Web)),
            ["expiresAt"] = approval.ExpiresAt?.ToString("O"),
            ["links"] = new JsonArray([.. shown.Select(l => (JsonNode)new JsonObject
            {
                ["approver"] = l.Approver,
                ["contextUrl"] = l.ContextUrl,
                ["resolveUrl"] = l.ResolveUrl,
            })]),
            ["resolveWithKeyUrl"] = options.Value.PublicBaseUrl.TrimEnd('/') + $"/v1/approvals/{approval.ApprovalId}/resolve",
        };
        if (shown.Count == 1)
        {
            notice["contextUrl"] = shown[0].ContextUrl;
            notice["resolveUrl"] = shown[0].ResolveUrl;
        }

        return notice;
    }

    private async Task<ApprovalNotification> DeliverAsync(StepExecution execution, ApprovalRecord approval, string key, string connectorName, int round, JsonObject arguments)
    {
        if (!connectors.TryGet(connectorName, out var connector))
        {
            return new ApprovalNotification(key, connectorName, round, "failed", 0, $"The {connectorName} connector is not registered in this host.", time.GetUtcNow());
        }

        string? error = null;
        for (var attempt = 1; ; attempt++)
        {
            var call = new ConnectorContext(arguments, execution.RunId, execution.StepId, attempt, $"{approval.ApprovalId}:{round}:{key}", secrets,
                new RunArtifactReader(results, execution.RunId));
            ConnectorResult result;
            try
            {
                result = await connector.ExecuteAsync(call, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                result = ConnectorResult.Failed(new ConnectorFailure("notification_error", e.Message, Retryable: true));
            }

            if (result.Failure is null)
            {
                return new ApprovalNotification(key, connectorName, round, "sent", attempt, null, time.GetUtcNow());
            }

            error = secrets.Redact($"{result.Failure.Code}: {result.Failure.Message}");
            if (!result.Failure.Retryable || attempt > Backoff.Length)
            {
                return new ApprovalNotification(key, connectorName, round, "failed", attempt, error, time.GetUtcNow());
            }

            await Task.Delay(Backoff[attempt - 1], time).ConfigureAwait(false);
        }
    }
}
