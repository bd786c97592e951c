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
/// Makes one attempt at each of a gate's notifications for one round that is not settled yet (each approver reached by link gets
/// links of their own), records every attempt's outcome on the approval and in the audit chain, and says when the orchestrator
/// should call again for the deliveries that failed and may be retried. Then reads the approval again: a decision already stored
/// is reported.
/// </summary>
/// <remarks>
/// Retries are the orchestrator's durable timers, never sleeps here, so a host that stops loses no retry. A failed
/// notification never fails the gate: it is visible on the approval, and the approval can still be decided. Runs at least once:
/// deliveries recorded as sent (or finally failed) in this round are not sent again.
/// </remarks>
public sealed class NotifyApprovalActivity(
    WorkflowStore workflows,
    RunScopeReader scopes,
    StepResultStore results,
    ApprovalStore approvals,
    ApprovalLinkFactory links,
    ApprovalAuditor auditor,
    ExpressionEngine expressions,
    ConnectorCatalog connectors,
    ISecretStore secrets,
    IOptions<ApprovalOptions> options,
    TimeProvider time) : TaskActivity<ApprovalStep, ApprovalProgress>
{
    public const string Name = nameof(NotifyApprovalActivity);

    /// <summary>The pause before each further attempt of a delivery: five attempts in all.</summary>
    private static readonly TimeSpan[] Backoff = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(60)];

    public override async Task<ApprovalProgress> RunAsync(TaskActivityContext context, ApprovalStep input)
    {
        var execution = input.Execution;
        var approval = await approvals.GetAsync(execution.TenantId, input.ApprovalId).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Approval {input.ApprovalId} has no record.");
        var definition = await workflows.GetDefinitionAsync(execution.TenantId, execution.WorkflowId, execution.Version).ConfigureAwait(false);
        var step = definition.Steps.Single(s => s.Id == execution.StepId);
        TimeSpan? retryIn = null;
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
                    var earlier = approval.Notifications.FirstOrDefault(n => n.Key == key && n.Round == input.Round);
                    if (earlier is not null && earlier.Status != ApprovalNotification.Retrying)
                    {
                        continue;
                    }

                    var shown = recipient is null ? [.. personal.Values] : personal.TryGetValue(recipient, out var own) ? [own] : new List<ApprovalLink>();
                    var notice = Notice(approval, shown);
                    var arguments = NotificationArguments.Build(notify[i].Connector, with, notice, shown, recipient);
                    var attempt = (earlier?.Attempts ?? 0) + 1;
                    var sent = await DeliverAsync(execution, approval, key, notify[i].Connector, input.Round, attempt, arguments).ConfigureAwait(false);
                    var stored = await approvals.UpdateAsync(approval.TenantId, approval.ApprovalId, current =>
                        (current with { Notifications = [.. current.Notifications.Where(n => n.Key != key || n.Round != input.Round), sent] }, 0)).ConfigureAwait(false);
                    await auditor.NotifiedAsync(stored?.Approval ?? approval, sent).ConfigureAwait(false);
                    if (sent.Status == ApprovalNotification.Retrying)
                    {
                        var delay = Backoff[attempt - 1];
                        retryIn = retryIn is { } sooner && sooner < delay ? sooner : delay;
                    }
                }
            }
        }

        var now = await approvals.GetAsync(execution.TenantId, input.ApprovalId).ConfigureAwait(false);
        return new ApprovalProgress(null, now?.ExpiresAt, now is not null && ApprovalStatuses.IsDecided(now.Status), input.Round, retryIn);
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

    /// <summary>One attempt: sent, failed for good, or failed with attempts left (<see cref="ApprovalNotification.Retrying"/>).</summary>
    private async Task<ApprovalNotification> DeliverAsync(
        StepExecution execution, ApprovalRecord approval, string key, string connectorName, int round, int attempt, JsonObject arguments)
    {
        if (!connectors.TryGet(connectorName, out var connector))
        {
            return new ApprovalNotification(key, connectorName, round, ApprovalNotification.Failed, attempt,
                $"The {connectorName} connector is not registered in this host.", time.GetUtcNow());
        }

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
            return new ApprovalNotification(key, connectorName, round, ApprovalNotification.Sent, attempt, null, time.GetUtcNow());
        }

        var error = secrets.Redact($"{result.Failure.Code}: {result.Failure.Message}");
        var again = result.Failure.Retryable && attempt <= Backoff.Length;
        return new ApprovalNotification(key, connectorName, round, again ? ApprovalNotification.Retrying : ApprovalNotification.Failed, attempt, error, time.GetUtcNow());
    }
}
