namespace Ratify.Connectors;

/// <summary>Secrets by name (<c>{{secrets.NAME}}</c> reads configuration <c>Ratify:Secrets:NAME</c>).</summary>
public interface ISecretStore
{
    /// <summary>The secret's value, or null when no secret has that name.</summary>
    string? Get(string name);

    /// <summary>Replaces every known secret value in <paramref name="text"/> with a placeholder.</summary>
    string Redact(string text);
}
