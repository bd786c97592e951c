using System.Text.Json.Nodes;
using Ratify.Connectors;

namespace Ratify.Functions.Workflows;

/// <summary>Checks one step on its own (ids, type or connector, arguments, templates, policies) and records its links.</summary>
internal sealed class StepChecker(IReadOnlyDictionary<string, IConnector> connectors, List<DefinitionError> errors)
{
    private static readonly string[] KnownProperties =
        ["id", "type", "connector", "with", "dependsOn", "if", "retry", "timeout", "onFailure", "artifacts", "sideEffect", "notify"];

    private static readonly string[] SideEffects = ["read", "idempotent", "irreversible"];

    public StepInfo Check(JsonNode? node, int index)
    {
        var pointer = JsonPointer.Append("/steps", index);
        var info = new StepInfo(index, null, [], []);
        if (node is not JsonObject step)
        {
            Error(pointer, $"a step must be an object, not {JsonChecks.Describe(node)}");
            return info;
        }

        JsonChecks.RejectUnknown(step, pointer, KnownProperties, errors);
        info = info with { Id = CheckId(step, pointer) };
        var with = CheckWith(step, pointer);
        CheckKind(step, pointer, with, info);
        CheckDependsOn(step, pointer, info);
        CheckCondition(step, pointer, info);
        new PolicyChecker(errors).Check(step, pointer);
        CheckArtifacts(step, pointer, info);
        CheckApproval(step, pointer, with, info);
        if (step["sideEffect"] is { } sideEffect && !(JsonChecks.IsString(sideEffect, out var effect) && SideEffects.Contains(effect)))
        {
            Error(pointer + "/sideEffect", "sideEffect must be one of: " + string.Join(", ", SideEffects));
        }

        return info;
    }

    private string? CheckId(JsonObject step, string pointer)
    {
        if (!step.ContainsKey("id"))
        {
            Error(pointer + "/id", "a step needs an id");
            return null;
        }

        if (!JsonChecks.IsString(step["id"], out var id))
        {
            Error(pointer + "/id", $"a step id must be a string, not {JsonChecks.Describe(step["id"])}");
            return null;
        }

        if (!DefinitionNames.IsStepId(id))
        {
            Error(pointer + "/id", $"step id '{id}' must match {DefinitionNames.StepIdPattern} (a lowercase letter, then letters, digits or _)");
        }

        return id;
    }

    private JsonObject? CheckWith(JsonObject step, string pointer)
    {
        if (!step.TryGetPropertyValue("with", out var with) || with is null)
        {
            return null;
        }

        if (with is not JsonObject obj)
        {
            Error(pointer + "/with", $"with must be an object, not {JsonChecks.Describe(with)}");
            return null;
        }

        return obj;
    }

    private void CheckKind(JsonObject step, string pointer, JsonObject? with, StepInfo info)
    {
        // A null type or connector counts as absent.
        var typeNode = step["type"];
        var connectorNode = step["connector"];
        var hasType = typeNode is not null;
        var hasConnector = connectorNode is not null;
        if (hasType == hasConnector)
        {
            Error(pointer, hasType
                ? "a step has either a type or a connector, not both"
                : $"a step needs a type ({string.Join(", ", StepTypes.All)}) or a connector ({KnownConnectors()})");
        }
        else if (hasType)
        {
            if (!JsonChecks.IsString(typeNode, out var type) || !StepTypes.All.Contains(type))
            {
                Error(pointer + "/type", $"unknown step type {typeNode?.ToJsonString() ?? "null"}: use one of {string.Join(", ", StepTypes.All)}");
            }
            else if (type == StepTypes.Delay)
            {
                CheckDelay(with, pointer);
            }
        }
        else if (JsonChecks.IsString(connectorNode, out var name) && connectors.TryGetValue(name, out var connector))
        {
            info.IsConnector = true;
            foreach (var error in connector.ValidateArguments(with ?? []))
            {
                Error(JsonPointer.Combine(pointer + "/with", error.Pointer), error.Message);
            }
        }
        else
        {
            Error(pointer + "/connector", $"unknown connector {connectorNode?.ToJsonString() ?? "null"}: use one of {KnownConnectors()}");
        }

        // Secrets are for connector arguments only: anywhere else they would land in a stored output.
        CheckTemplates(with, pointer + "/with", hasConnector && !hasType ? ExpressionRoots.Standard : ExpressionRoots.NoSecrets, info);
    }

    private void CheckApproval(JsonObject step, string pointer, JsonObject? with, StepInfo info)
    {
        var isApproval = JsonChecks.IsString(step["type"], out var type) && type == StepTypes.Approval;
        if (!isApproval)
        {
            if (step["notify"] is not null)
            {
                Error(pointer + "/notify", "notify belongs to approval steps (type \"approval\")");
            }

            return;
        }

        var approval = new ApprovalChecker(connectors, errors);
        approval.CheckWith(with, pointer, info);
        if (step["notify"] is not null)
        {
            approval.CheckNotify(step["notify"], pointer, (node, at) => CheckTemplates(node, at, ExpressionRoots.Standard, info));
        }

        foreach (var property in new[] { "retry", "timeout", "sideEffect" })
        {
            if (step[property] is not null)
            {
                Error(pointer + "/" + property, property == "timeout"
                    ? "an approval step's time limit is with.timeout (with with.onTimeout)"
                    : $"an approval step takes no {property}");
            }
        }
    }

    private void CheckDelay(JsonObject? with, string pointer)
    {
        var at = pointer + "/with/duration";
        if (with?["duration"] is not { } node)
        {
            Error(at, "a delay step needs with.duration, an ISO 8601 duration such as PT5M");
        }
        else if (!JsonChecks.IsString(node, out var text))
        {
            Error(at, $"with.duration must be a string, not {JsonChecks.Describe(node)}");
        }
        else if (!ExpressionEngine.ContainsTemplate(text))
        {
            DurationCheck.Check(text, at, WorkflowLimits.MaxDelay, errors);
        }
    }

    private void CheckDependsOn(JsonObject step, string pointer, StepInfo info)
    {
        if (!step.TryGetPropertyValue("dependsOn", out var node) || node is null)
        {
            return;
        }

        pointer += "/dependsOn";
        if (node is not JsonArray array)
        {
            Error(pointer, $"dependsOn must be an array of step ids, not {JsonChecks.Describe(node)}");
            return;
        }

        if (array.Count > WorkflowLimits.MaxDependencies)
        {
            Error(pointer, $"a step may depend on at most {WorkflowLimits.MaxDependencies} steps, not {array.Count}");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < array.Count; i++)
        {
            var at = JsonPointer.Append(pointer, i);
            if (!JsonChecks.IsString(array[i], out var target))
            {
                Error(at, $"a dependency must be a step id, not {JsonChecks.Describe(array[i])}");
            }
            else if (!seen.Add(target))
            {
                Error(at, $"'{target}' is listed twice");
            }
            else
            {
                info.DependsOn.Add(new StepEdge(target, at));
            }
        }
    }

    private void CheckCondition(JsonObject step, string pointer, StepInfo info)
    {
        if (!step.TryGetPropertyValue("if", out var node) || node is null)
        {
            return;
        }

        pointer += "/if";
        if (!JsonChecks.IsString(node, out var condition))
        {
            Error(pointer, $"if must be a string expression, not {JsonChecks.Describe(node)}");
            return;
        }

        Collect(ExpressionEngine.ParseCondition(condition), pointer, info);
    }

    private void CheckArtifacts(JsonObject step, string pointer, StepInfo info)
    {
        if (!step.TryGetPropertyValue("artifacts", out var node) || node is null)
        {
            return;
        }

        pointer += "/artifacts";
        if (node is not JsonArray array)
        {
            Error(pointer, $"artifacts must be an array, not {JsonChecks.Describe(node)}");
            return;
        }

        if (array.Count > WorkflowLimits.MaxArtifactsPerStep)
        {
            Error(pointer, $"a step may declare at most {WorkflowLimits.MaxArtifactsPerStep} artifacts, not {array.Count}");
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < array.Count; i++)
        {
            var at = JsonPointer.Append(pointer, i);
            if (array[i] is not JsonObject artifact)
            {
                Error(at, $"an artifact must be an object with name, type and value, not {JsonChecks.Describe(array[i])}");
                continue;
            }

            JsonChecks.RejectUnknown(artifact, at, ["name", "type", "value"], errors);
            if (!JsonChecks.IsString(artifact["name"], out var name) || !DefinitionNames.IsArtifactName(name))
            {
                Error(at + "/name", $"an artifact name must match {DefinitionNames.ArtifactNamePattern}");
            }
            else if (!names.Add(name))
            {
                Error(at + "/name", $"artifact '{name}' is declared twice in this step");
            }
            else
            {
                info.Artifacts.Add(name);
            }

            if (!JsonChecks.IsString(artifact["type"], out var type) || !DefinitionNames.IsArtifactType(type))
            {
                Error(at + "/type", $"an artifact type is one of {string.Join(", ", DefinitionNames.ArtifactTypes)} or a media type such as application/pdf");
            }

            if (!artifact.ContainsKey("value"))
            {
                Error(at + "/value", "an artifact needs a value, e.g. \"{{output.text}}\"");
            }
            else
            {
                CheckTemplates(artifact["value"], at + "/value", ExpressionRoots.All & ~ExpressionRoots.Secrets, info);
            }
        }
    }

    private void CheckTemplates(JsonNode? node, string pointer, ExpressionRoots roots, StepInfo info)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj)
                {
                    CheckTemplates(child, JsonPointer.Append(pointer, name), roots, info);
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    CheckTemplates(array[i], JsonPointer.Append(pointer, i), roots, info);
                }

                break;
            default:
                if (JsonChecks.IsString(node, out var text) && ExpressionEngine.ContainsTemplate(text))
                {
                    Collect(ExpressionEngine.ParseTemplate(text, roots), pointer, info);
                }

                break;
        }
    }

    private void Collect(ExpressionParseResult result, string pointer, StepInfo info)
    {
        foreach (var message in result.Errors)
        {
            Error(pointer, message);
        }

        info.References.AddRange(result.StepReferences.Select(step => new StepEdge(step, pointer)));
    }

    private string KnownConnectors() => connectors.Count == 0 ? "none is registered" : string.Join(", ", connectors.Keys.Order(StringComparer.Ordinal));

    private void Error(string pointer, string message) => errors.Add(new DefinitionError(pointer, message));
}
