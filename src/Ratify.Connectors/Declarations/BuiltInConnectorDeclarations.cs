using Ratify.Connectors.Ai;
using Ratify.Connectors.Email;
using Ratify.Connectors.Http;
using Ratify.Connectors.Slack;
using Ratify.Connectors.Webhook;

namespace Ratify.Connectors.Declarations;

/// <summary>The declarations of the built-in connectors, in reference order; the connectors themselves return the same objects.</summary>
public static class BuiltInConnectorDeclarations
{
    /// <summary>http, webhook, slack, email and ai.</summary>
    public static IReadOnlyList<ConnectorDeclaration> All { get; } =
        [HttpDeclaration.Value, WebhookDeclaration.Value, SlackDeclaration.Value, EmailDeclaration.Value, AiDeclaration.Value];
}
