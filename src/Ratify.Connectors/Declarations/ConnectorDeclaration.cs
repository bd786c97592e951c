using System.Text.Json.Nodes;

namespace Ratify.Connectors.Declarations;

/// <summary>What a connector takes and gives: its arguments, the rules between them, its output, artifacts and side-effect class.</summary>
/// <remarks>
/// Definition-time validation checks a step's <c>with</c> against <see cref="Arguments"/> (names, required, shapes), and the
/// published reference and the definition schema are generated from the same declaration, so the three cannot drift.
/// </remarks>
/// <param name="Name">The name a step uses in its <c>connector</c> field.</param>
/// <param name="Summary">What a call does, in one or two sentences.</param>
/// <param name="SideEffect">The side-effect class of a call, in words (replay and retry read it from <see cref="IConnector.GetSideEffect"/>).</param>
/// <param name="Arguments">The shape of <c>with</c>: every argument, in the order they are documented.</param>
/// <param name="Rules">What the connector checks between arguments, beyond each argument's own shape.</param>
/// <param name="Output">The shape of the step's output on success.</param>
/// <param name="Artifacts">The artifacts every successful call publishes.</param>
public sealed record ConnectorDeclaration(
    string Name,
    string Summary,
    string SideEffect,
    ValueShape Arguments,
    IReadOnlyList<string> Rules,
    ValueShape Output,
    IReadOnlyList<ArtifactDeclaration> Artifacts)
{
    /// <summary>The declaration of a custom connector that declares nothing: any <c>with</c> object, any output.</summary>
    public static ConnectorDeclaration Undeclared(string name) =>
        new(name, "A custom connector; it checks its own arguments.", "declared by the connector", ValueShape.AnyObject, [], ValueShape.Any, []);

    /// <summary>The JSON Schema of a step's <c>with</c> for this connector (templated strings accepted anywhere).</summary>
    public JsonObject ArgumentsSchema()
    {
        var schema = Arguments.ToJsonSchema(templated: false);
        schema["description"] = Rules.Count == 0 ? Summary : Summary + " " + string.Join(" ", Rules);
        return schema;
    }

    /// <summary>Every problem of <paramref name="arguments"/> against the declared arguments; pointers are relative to <c>with</c>.</summary>
    public IReadOnlyList<ArgumentError> Check(JsonObject arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var errors = new List<ArgumentError>();
        Arguments.Check(arguments, "", "", errors);
        return errors;
    }
}
