using System.Text.Json.Nodes;
using Ratify.Connectors;
using Ratify.Functions.Approvals;

namespace Ratify.Functions.Workflows;

/// <summary>Checks an approval step: its <c>with</c> (message, artifacts shown, approvers, quorum, timeout policy, auto-approval) and its <c>notify</c> list.</summary>
internal sealed class ApprovalChecker(IReadOnlyDictionary<string, IConnector> connectors, List<DefinitionError> errors)
{
    private static readonly string[] Known =
        ["message", "showArtifacts", "approvers", "quorum", "timeout", "onTimeout", "escalateTo", "allowSelfApproval", "autoApprove"];

    private static readonly string[] TimeoutPolicies = ["reject", "approve", "escalate"];

    /// <summary>Checks <paramref name="with"/> (at <c>{pointer}/with</c>); templates are collected into <paramref name="info"/> by the caller.</summary>
    public void CheckWith(JsonObject? with, string pointer, StepInfo info)
    {
        var at = pointer + "/with";
        with ??= [];
        JsonChecks.RejectUnknown(with, at, Known, errors);
        if (with["message"] is { } message && !JsonChecks.IsString(message, out _))
        {
            Error(at + "/message", $"message must be a string (templates allowed), not {JsonChecks.Describe(message)}");
        }

        CheckShown(with["showArtifacts"], at + "/showArtifacts", info);
        var approvers = CheckIdentities(with["approvers"], at + "/approvers", allowKeys: true);
        if (with["quorum"] is { } quorumNode)
        {
            if (!JsonChecks.IsInteger(quorumNode, out var quorum) || quorum < 1 || quorum > ApprovalLimits.MaxApprovers)
            {
                Error(at + "/quorum", $"quorum must be a whole number from 1 to {ApprovalLimits.MaxApprovers}");
            }
            else if (approvers is not null && quorum > approvers)
            {
                Error(at + "/quorum", $"quorum {quorum} is more than the {approvers} approver(s) listed: the gate could never pass");
            }
        }

        if (with["timeout"] is { } timeoutNode)
        {
            if (JsonChecks.IsString(timeoutNode, out var text))
            {
                DurationCheck.Check(text, at + "/timeout", WorkflowLimits.MaxTimeout, errors);
            }
            else
            {
                Error(at + "/timeout", $"timeout must be an ISO 8601 duration such as P2D, not {JsonChecks.Describe(timeoutNode)}");
            }
        }

        var onTimeout = "reject";
        if (with["onTimeout"] is { } policyNode && !(JsonChecks.IsString(policyNode, out onTimeout) && TimeoutPolicies.Contains(onTimeout)))
        {
            Error(at + "/onTimeout", $"onTimeout must be one of: {string.Join(", ", TimeoutPolicies)}");
        }

        if (with.ContainsKey("onTimeout") && !with.ContainsKey("timeout"))
        {
            Error(at + "/onTimeout", "onTimeout needs a timeout");
        }

        var escalateTo = CheckIdentities(with["escalateTo"], at + "/escalateTo", allowKeys: false);
        if (onTimeout == "escalate" && escalateTo is null or 0)
        {
            Error(at + "/escalateTo", "onTimeout \"escalate\" needs escalateTo: the people who are asked when the timeout passes");
        }
        else if (onTimeout != "escalate" && with.ContainsKey("escalateTo"))
        {
            Error(at + "/escalateTo", "escalateTo is only used with onTimeout \"escalate\"");
        }

        if (with["allowSelfApproval"] is { } self && self.GetValueKind() is not (System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False))
        {
            Error(at + "/allowSelfApproval", $"allowSelfApproval must be true or false, not {JsonChecks.Describe(self)}");
        }

        if (with["autoApprove"] is { } auto)
        {
            if (!JsonChecks.IsString(auto, out var condition))
            {
                Error(at + "/autoApprove", $"autoApprove must be a condition such as \"steps.score.output.value < 1000\", not {JsonChecks.Describe(auto)}");
            }
            else
            {
                var parsed = ExpressionEngine.ParseCondition(condition);
                foreach (var problem in parsed.Errors)
                {
                    Error(at + "/autoApprove", problem);
                }

                info.References.AddRange(parsed.StepReferences.Select(step => new StepEdge(step, at + "/autoApprove")));
            }
        }

        foreach (var (name, value) in with)
        {
            if (name != "message" && ContainsTemplate(value))
            {
                Error(JsonPointer.Append(at, name), "only message may hold a template; the gate's policy is fixed when the workflow is defined");
            }
        }
    }

    /// <summary>Checks the <c>notify</c> list at <c>{pointer}/notify</c>; each entry's arguments are checked by its connector.</summary>
    public void CheckNotify(JsonNode? node, string pointer, Action<JsonNode?, string> checkTemplates)
    {
        pointer += "/notify";
        if (node is not JsonArray list)
        {
            Error(pointer, $"notify must be an array of {{connector, with}}, not {JsonChecks.Describe(node)}");
            return;
        }

        if (list.Count > ApprovalLimits.MaxNotifications)
        {
            Error(pointer, $"a gate may notify at most {ApprovalLimits.MaxNotifications} times, not {list.Count}");
        }

        for (var i = 0; i < list.Count; i++)
        {
            var at = JsonPointer.Append(pointer, i);
            if (list[i] is not JsonObject entry)
            {
                Error(at, $"a notify entry must be an object {{connector, with}}, not {JsonChecks.Describe(list[i])}");
                continue;
            }

            JsonChecks.RejectUnknown(entry, at, ["connector", "with"], errors);
            if (!JsonChecks.IsString(entry["connector"], out var name) || !NotificationArguments.Supported.Contains(name))
            {
                Error(at + "/connector", $"a notify entry's connector must be one of: {string.Join(", ", NotificationArguments.Supported)}");
                continue;
            }

            if (entry["with"] is { } with and not JsonObject)
            {
                Error(at + "/with", $"with must be an object, not {JsonChecks.Describe(with)}");
                continue;
            }

            if (!connectors.TryGetValue(name, out var connector))
            {
                Error(at + "/connector", $"the {name} connector is not registered in this host");
                continue;
            }

            var arguments = NotificationArguments.Sample(name, entry["with"] as JsonObject ?? []);
            foreach (var error in connector.ValidateArguments(arguments))
            {
                Error(JsonPointer.Combine(at + "/with", error.Pointer), error.Message);
            }

            checkTemplates(entry["with"], at + "/with");
        }
    }

    private void CheckShown(JsonNode? node, string pointer, StepInfo info)
    {
        if (node is null)
        {
            return;
        }

        if (node is not JsonArray list)
        {
            Error(pointer, $"showArtifacts must be an array of \"step/name\", not {JsonChecks.Describe(node)}");
            return;
        }

        for (var i = 0; i < list.Count; i++)
        {
            var at = JsonPointer.Append(pointer, i);
            if (!JsonChecks.IsString(list[i], out var text) || text.Split('/') is not [var step, var name] || step.Length == 0 || name.Length == 0)
            {
                Error(at, "an artifact to show is written \"step/name\", e.g. \"draft/email\"");
                continue;
            }

            info.Shown.Add((step, name, at));
            info.References.Add(new StepEdge(step, at));
        }
    }

    /// <summary>The number of identities, or null when the list is absent or wrong.</summary>
    private int? CheckIdentities(JsonNode? node, string pointer, bool allowKeys)
    {
        if (node is null)
        {
            return null;
        }

        if (node is not JsonArray list || list.Count == 0)
        {
            Error(pointer, "must be a non-empty array of identities such as \"alice@example.com\"" + (allowKeys ? " or \"key:key_7f2a\"" : ""));
            return null;
        }

        if (list.Count > ApprovalLimits.MaxApprovers)
        {
            Error(pointer, $"at most {ApprovalLimits.MaxApprovers} identities, not {list.Count}");
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < list.Count; i++)
        {
            var at = JsonPointer.Append(pointer, i);
            if (!JsonChecks.IsString(list[i], out var identity) || !ApproverIdentity.IsValid(identity))
            {
                Error(at, "an identity is a person (e.g. \"alice@example.com\", no spaces, at most 200 characters) or an API key \"key:key_…\"");
            }
            else if (!allowKeys && ApproverIdentity.IsKey(identity))
            {
                Error(at, "escalation reaches people by link; API keys cannot be escalated to");
            }
            else if (!seen.Add(identity))
            {
                Error(at, $"'{identity}' is listed twice");
            }
        }

        return list.Count;
    }

    private static bool ContainsTemplate(JsonNode? node) => node switch
    {
        JsonObject obj => obj.Any(p => ContainsTemplate(p.Value)),
        JsonArray array => array.Any(ContainsTemplate),
        _ => JsonChecks.IsString(node, out var text) && ExpressionEngine.ContainsTemplate(text),
    };

    private void Error(string pointer, string message) => errors.Add(new DefinitionError(pointer, message));

    /// <summary>After the graph checks: every artifact shown is one its step declares (a connector step may publish its own).</summary>
    public static void CheckShownArtifacts(IReadOnlyList<StepInfo> steps, List<DefinitionError> errors)
    {
        var byId = steps.Where(s => s.Id is not null).GroupBy(s => s.Id!, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        foreach (var step in steps)
        {
            foreach (var (stepId, name, pointer) in step.Shown)
            {
                if (byId.TryGetValue(stepId, out var source) && !source.IsConnector && !source.Artifacts.Contains(name))
                {
                    var declared = source.Artifacts.Count == 0 ? "it declares none" : "it declares " + string.Join(", ", source.Artifacts);
                    errors.Add(new DefinitionError(pointer, $"step '{stepId}' declares no artifact '{name}' ({declared})"));
                }
            }
        }
    }
}
