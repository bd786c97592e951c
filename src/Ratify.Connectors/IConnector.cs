using System.Text.Json.Nodes;
using Ratify.Connectors.Declarations;

namespace Ratify.Connectors;

/// <summary>A typed integration that a workflow step calls: HTTP, webhook, Slack, email, AI, or a custom one.</summary>
/// <remarks>
/// A connector may be called more than once for the same step (retries, crash recovery): the
/// <see cref="ConnectorContext.IdempotencyKey"/> is the same on every attempt so that a remote
/// system can recognise the repeat. Connectors are registered through DI and looked up by <see cref="Name"/>.
/// </remarks>
public interface IConnector
{
    /// <summary>The name a step uses in its <c>connector</c> field, e.g. <c>http</c>.</summary>
    string Name { get; }

    /// <summary>What the connector takes and gives; the reference and the definition schema are generated from it.</summary>
    /// <remarks>A connector that declares nothing accepts any <c>with</c> object in the schema and checks it in <see cref="ValidateArguments"/>.</remarks>
    ConnectorDeclaration Declaration => ConnectorDeclaration.Undeclared(Name);

    /// <summary>Checks a step's <c>with</c> object when a workflow is defined.</summary>
    /// <remarks>
    /// A string value that contains a template (<c>{{ … }}</c>) is only known at run time: accept it
    /// wherever a value of any type may go. Pointers are relative to the <c>with</c> object (e.g. <c>/url</c>).
    /// </remarks>
    IReadOnlyList<ArgumentError> ValidateArguments(JsonObject arguments);

    /// <summary>Declares what a call with these arguments does to the outside world.</summary>
    SideEffect GetSideEffect(JsonObject arguments);

    /// <summary>Performs the call with rendered arguments.</summary>
    Task<ConnectorResult> ExecuteAsync(ConnectorContext context, CancellationToken cancellationToken);
}
