using System.Text.Json.Nodes;
using Ratify.Functions.Runs;

namespace Ratify.Functions.Events;

/// <summary>What one step attempt produced, gathered while it runs so that its events can carry it.</summary>
public sealed class StepReport
{
    /// <summary>How many attempts the step's retry policy allows (1 until the definition is read).</summary>
    public int MaxAttempts { get; set; } = 1;

    /// <summary>The connector or built-in type that ran the step, once the definition is read.</summary>
    public string? Connector { get; set; }

    /// <summary>The stored output.</summary>
    public JsonNode? Output { get; set; }

    /// <summary>The artifacts stored, in order.</summary>
    public List<ArtifactInfo> Artifacts { get; } = [];

    /// <summary>
    /// The attempt ran past its deadline: the orchestrator's timeout settles the step and publishes its status, so the
    /// attempt's own end is not published a second time.
    /// </summary>
    public bool SettledByTimeout { get; set; }
}
