using System.Text.Json.Nodes;

namespace Ratify.Functions.Triggers;

/// <summary>A checked <c>{"type": "webhook"}</c> trigger: the secret that signs deliveries, and how a body becomes the run's input.</summary>
/// <param name="Index">Its position in <c>triggers</c>.</param>
/// <param name="SecretName">The configured secret (<c>{{secrets.NAME}}</c>) that deliveries are signed with.</param>
/// <param name="Input">A template over <c>body</c>; the body itself is the input when null.</param>
public sealed record WebhookTrigger(int Index, string SecretName, JsonNode? Input);
