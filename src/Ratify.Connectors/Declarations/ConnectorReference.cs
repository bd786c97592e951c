using System.Text;

namespace Ratify.Connectors.Declarations;

/// <summary>Writes the connector reference (docs/connectors.md) from connector declarations, so the docs say what validation checks.</summary>
public static class ConnectorReference
{
    /// <summary>The command that rewrites the checked-in reference from the declarations.</summary>
    public const string RegenerateCommand =
        "RATIFY_WRITE_REFERENCE=1 dotnet test tests/Ratify.Connectors.Tests --filter FullyQualifiedName~ConnectorReferenceTests";

    /// <summary>The reference as Markdown, one section per connector in the order given.</summary>
    public static string ToMarkdown(IReadOnlyList<ConnectorDeclaration> connectors)
    {
        ArgumentNullException.ThrowIfNull(connectors);
        var text = new StringBuilder();
        text.Append("# Connector reference\n\n")
            .Append("<!-- Generated from the connector declarations in src/Ratify.Connectors; do not edit by hand. Regenerate with:\n")
            .Append("     ").Append(RegenerateCommand).Append(" -->\n\n")
            .Append("A step calls a connector with `\"connector\": \"NAME\"` and passes its arguments in `with`. When a workflow is defined, ")
            .Append("every argument is checked against the declarations below (names, required, types, allowed values) and against the rules ")
            .Append("of each connector; a problem is a `422` naming the JSON pointer. A string holding a template (`{{ … }}`) is accepted ")
            .Append("wherever a value may go and checked when the step runs. `{{secrets.NAME}}` may be used in connector arguments only. ")
            .Append("The same declarations give each connector's `with` schema in the OpenAPI document (`/openapi/v1.json`, ")
            .Append("components `WorkflowDefinition` and `…ConnectorArguments`).\n\n")
            .Append("| connector | side effect | what it does |\n|---|---|---|\n");
        foreach (var connector in connectors)
        {
            text.Append($"| [`{connector.Name}`](#{connector.Name}) | {Cell(SideEffectClass(connector.SideEffect))} | {Cell(FirstSentence(connector.Summary))} |\n");
        }

        foreach (var connector in connectors)
        {
            AppendConnector(text, connector);
        }

        return text.ToString();
    }

    private static void AppendConnector(StringBuilder text, ConnectorDeclaration connector)
    {
        text.Append($"\n## {connector.Name}\n\n{connector.Summary}\n\n**Side effect:** {connector.SideEffect}\n\n")
            .Append("### Arguments\n\n| argument | type | required | default | description |\n|---|---|---|---|---|\n");
        foreach (var (path, field) in Rows(connector.Arguments, ""))
        {
            text.Append($"| `{path}` | {Cell(field.Shape.Expected)} | {(field.Required ? "yes" : "no")} | {Cell(field.Default ?? "")} | {Cell(field.Description)} |\n");
        }

        if (connector.Rules.Count > 0)
        {
            text.Append("\nRules between arguments:\n\n");
            foreach (var rule in connector.Rules)
            {
                text.Append("- ").Append(rule).Append('\n');
            }
        }

        text.Append($"\n### Output\n\n{Capitalised(connector.Output.Expected)}");
        var outputRows = Rows(connector.Output, "").ToList();
        if (outputRows.Count > 0)
        {
            text.Append(":\n\n| field | type | always present | description |\n|---|---|---|---|\n");
            foreach (var (path, field) in outputRows)
            {
                text.Append($"| `{path}` | {Cell(field.Shape.Expected)} | {(field.Required ? "yes" : "no")} | {Cell(field.Description)} |\n");
            }
        }
        else
        {
            text.Append(".\n");
        }

        if (connector.Artifacts.Count > 0)
        {
            text.Append("\n### Artifacts\n\n| name | type | content |\n|---|---|---|\n");
            foreach (var artifact in connector.Artifacts)
            {
                text.Append($"| `{artifact.Name}` | {Cell(artifact.Type)} | {Cell(artifact.Description)} |\n");
            }
        }
    }

    /// <summary>Every declared field under <paramref name="shape"/>, nested ones as <c>attachments[].step</c>.</summary>
    private static IEnumerable<(string Path, FieldDeclaration Field)> Rows(ValueShape shape, string prefix)
    {
        foreach (var field in shape.Fields)
        {
            var path = prefix.Length == 0 ? field.Name : $"{prefix}.{field.Name}";
            yield return (path, field);
            foreach (var nested in Rows(field.Shape, path))
            {
                yield return nested;
            }
        }

        if (shape.Items is { } items)
        {
            foreach (var nested in Rows(items, prefix + "[]"))
            {
                yield return nested;
            }
        }

        foreach (var option in shape.Options)
        {
            foreach (var nested in Rows(option, prefix))
            {
                yield return nested;
            }
        }
    }

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);

    private static string SideEffectClass(string text) => text.Split([":", " by "], 2, StringSplitOptions.None)[0];

    private static string FirstSentence(string text) => text.IndexOf(". ", StringComparison.Ordinal) is var end and > 0 ? text[..(end + 1)] : text;

    private static string Capitalised(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
