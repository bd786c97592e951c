using System.Text.Json.Nodes;
using Ratify.Functions.Runs;

namespace Ratify.Functions.Events;

/// <summary>What one step attempt produced, gathered while it runs so that its events can carry it.</summary>
public sealed class StepReport
{
    /// <summary>How many attempts the step's retry policy allows (1 until the definition is read).</summary>
    public int MaxAttempts { get; set; } = 1;

    /// <summary>The stored output.</summary>
    public JsonNode? Output { get; set; }

    /// <summary>The artifacts stored, in order.</summary>
    public List<ArtifactInfo> Artifacts { get; } = [];
}
