using Ratify.Connectors.Declarations;
using Ratify.Connectors.Tests.Support;
using Ratify.Testing;

namespace Ratify.Connectors.Tests.Declarations;

/// <summary>docs/connectors.md is exactly what the declarations that validation uses generate, and covers every registered built-in connector.</summary>
public sealed class ConnectorReferenceTests
{
    private static readonly string ReferencePath = Path.Combine(RepositoryRoot.Path, "docs", "connectors.md");

    [Fact(Timeout = 10_000)]
    public async Task The_checked_in_reference_is_generated_from_the_declarations()
    {
        var generated = ConnectorReference.ToMarkdown(BuiltInConnectorDeclarations.All);
        if (Environment.GetEnvironmentVariable("RATIFY_WRITE_REFERENCE") == "1")
        {
            await File.WriteAllTextAsync(ReferencePath, generated);
        }

        var checkedIn = File.Exists(ReferencePath) ? (await File.ReadAllTextAsync(ReferencePath)).ReplaceLineEndings("\n") : "";
        Assert.True(generated == checkedIn,
            $"docs/connectors.md differs from the connector declarations; regenerate it with: {ConnectorReference.RegenerateCommand}");
    }

    [Fact(Timeout = 10_000)]
    public async Task Every_registered_connector_returns_the_declaration_the_reference_is_made_from()
    {
        await using var host = ConnectorHost.Allowing(null);

        Assert.Equal(BuiltInConnectorDeclarations.All.Select(d => d.Name).Order(StringComparer.Ordinal), host.Catalog.Names);
        foreach (var declaration in BuiltInConnectorDeclarations.All)
        {
            Assert.Same(declaration, host.Connector(declaration.Name).Declaration);
        }
    }

    [Fact]
    public void The_reference_lists_every_argument_with_its_type_and_whether_it_is_required()
    {
        var markdown = ConnectorReference.ToMarkdown(BuiltInConnectorDeclarations.All);

        Assert.Contains("| `port` | a whole number from 1 to 65535 | no | 25 with tls none, 587 with starttls, 465 with tls |", markdown, StringComparison.Ordinal);
        Assert.Contains("| `attachments[].step` | a non-empty string | yes |", markdown, StringComparison.Ordinal);
        Assert.Contains("| `messages[].role` | one of: system, developer, user, assistant, tool | yes |", markdown, StringComparison.Ordinal);
        Assert.Contains("**Side effect:** irreversible", markdown, StringComparison.Ordinal);
    }
}
