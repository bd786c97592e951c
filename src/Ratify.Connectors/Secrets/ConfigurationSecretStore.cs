using Microsoft.Extensions.Configuration;

namespace Ratify.Connectors.Secrets;

/// <summary>Reads secrets from configuration <c>Ratify:Secrets:NAME</c> (environment <c>Ratify__Secrets__NAME</c>, Key Vault references in Azure).</summary>
public sealed class ConfigurationSecretStore : ISecretStore
{
    /// <summary>The configuration section that holds one value per secret name.</summary>
    public const string SectionName = "Ratify:Secrets";

    /// <summary>What a redacted secret value is replaced with.</summary>
    public const string Placeholder = "***";

    // Shorter values would redact ordinary words and digits everywhere.
    private const int MinimumRedactedLength = 4;

    private readonly IConfiguration _configuration;

    /// <summary>Creates a store over the application's configuration (read on every call, so reloads apply).</summary>
    public ConfigurationSecretStore(IConfiguration configuration)
    {
        _configuration = configuration;
    }

    /// <inheritdoc />
    public string? Get(string name) =>
        string.IsNullOrWhiteSpace(name) ? null : _configuration.GetSection(SectionName)[name];

    /// <inheritdoc />
    public string Redact(string text) => RedactValues(text, Values());

    /// <summary>Replaces each value (longest first, so a secret containing another is replaced whole) with <see cref="Placeholder"/>.</summary>
    internal static string RedactValues(string text, IEnumerable<string?> values)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }

        foreach (var value in values
            .OfType<string>()
            .Where(v => v.Length >= MinimumRedactedLength)
            .Distinct(StringComparer.Ordinal)
            .OrderByDescending(v => v.Length))
        {
            text = text.Replace(value, Placeholder, StringComparison.Ordinal);
        }

        return text;
    }

    private IEnumerable<string?> Values() =>
        _configuration.GetSection(SectionName).AsEnumerable(makePathsRelative: true).Select(pair => pair.Value);
}
