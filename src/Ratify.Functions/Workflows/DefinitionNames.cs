using System.Text.RegularExpressions;

namespace Ratify.Functions.Workflows;

/// <summary>The patterns of workflow ids, step ids, artifact names and artifact types.</summary>
public static partial class DefinitionNames
{
    /// <summary>Workflow ids are URL- and row-key-safe: lowercase, digits, <c>-</c> and <c>_</c>.</summary>
    public const string WorkflowIdPattern = "^[a-z][a-z0-9_-]{0,62}$";

    /// <summary>Step ids are JavaScript identifiers so that <c>steps.ID.output</c> reads naturally: no <c>-</c>.</summary>
    public const string StepIdPattern = "^[a-z][a-zA-Z0-9_]{0,62}$";

    /// <summary>Artifact names may also hold <c>.</c> and <c>-</c> (<c>report.pdf</c>).</summary>
    public const string ArtifactNamePattern = "^[a-zA-Z][a-zA-Z0-9_.-]{0,62}$";

    /// <summary>The artifact types with a short name; any media type (<c>application/pdf</c>) is accepted too.</summary>
    public static IReadOnlyList<string> ArtifactTypes { get; } = ["json", "text", "markdown", "html", "email"];

    /// <summary>True when <paramref name="id"/> is a valid workflow id.</summary>
    public static bool IsWorkflowId(string? id) => id is not null && WorkflowId().IsMatch(id);

    /// <summary>True when <paramref name="id"/> is a valid step id.</summary>
    public static bool IsStepId(string? id) => id is not null && StepId().IsMatch(id);

    /// <summary>True when <paramref name="name"/> is a valid artifact name.</summary>
    public static bool IsArtifactName(string? name) => name is not null && ArtifactName().IsMatch(name);

    /// <summary>True when <paramref name="type"/> is a short artifact type or a media type.</summary>
    public static bool IsArtifactType(string? type) => type is not null && (ArtifactTypes.Contains(type) || MediaType().IsMatch(type));

    [GeneratedRegex(WorkflowIdPattern, RegexOptions.CultureInvariant)]
    private static partial Regex WorkflowId();

    [GeneratedRegex(StepIdPattern, RegexOptions.CultureInvariant)]
    private static partial Regex StepId();

    [GeneratedRegex(ArtifactNamePattern, RegexOptions.CultureInvariant)]
    private static partial Regex ArtifactName();

    // type "/" subtype, each a token (RFC 6838 restricted names); parameters are not accepted.
    [GeneratedRegex("^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$", RegexOptions.CultureInvariant)]
    private static partial Regex MediaType();
}
