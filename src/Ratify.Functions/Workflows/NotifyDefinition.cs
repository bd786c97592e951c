using System.Text.Json.Nodes;

namespace Ratify.Functions.Workflows;

/// <summary>A connector an approval gate calls to tell its approvers, with that connector's own arguments.</summary>
public sealed record NotifyDefinition
{
    /// <summary>The connector: <c>slack</c>, <c>email</c> or <c>webhook</c>.</summary>
    public required string Connector { get; init; }

    /// <summary>The connector's arguments (templates allowed, e.g. <c>{{secrets.SLACK_HOOK}}</c>); the approval adds its message and links.</summary>
    public JsonObject? With { get; init; }
}
