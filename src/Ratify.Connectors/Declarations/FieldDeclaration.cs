namespace Ratify.Connectors.Declarations;

/// <summary>One named field of a connector's arguments or output (or of an object inside one): its shape, whether it is required, its default and what it means.</summary>
/// <param name="Name">The property name.</param>
/// <param name="Shape">The values it accepts.</param>
/// <param name="Description">One sentence for the reference.</param>
/// <param name="Required">True when the field must be present (a JSON null counts as absent).</param>
/// <param name="Default">What an absent field means, in words, or null when there is nothing to say.</param>
public sealed record FieldDeclaration(string Name, ValueShape Shape, string Description, bool Required = false, string? Default = null);
