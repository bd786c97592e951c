using System.Text.Json;

namespace Ratify.Functions.Events;

/// <summary>A <see cref="RunSnapshot"/> as the head row's <c>Snapshot</c> property holds it: JSON within one string property.</summary>
internal static class RunSnapshotText
{
    /// <summary>The property on the run's head row.</summary>
    public const string Property = "Snapshot";

    /// <summary>A string property holds at most 32K characters; a snapshot over this keeps its outputs as references.</summary>
    public const int MaxLength = 30_000;

    public static RunSnapshot? Parse(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<RunSnapshot>(text, RunSnapshotFold.Json);
        }
        catch (JsonException)
        {
            return null; // a row written by a version that kept another shape: read the run the long way
        }
    }

    /// <summary>The snapshot as JSON; outputs become references when it is too long, and null when even that is too long (the run is then read the long way).</summary>
    public static string? Write(RunSnapshot? snapshot)
    {
        if (snapshot is null)
        {
            return null;
        }

        var text = JsonSerializer.Serialize(snapshot, RunSnapshotFold.Json);
        if (text.Length <= MaxLength)
        {
            return text;
        }

        foreach (var step in snapshot.Steps.Where(s => s.Output is not null))
        {
            step.Output = null;
            step.OutputOmitted = true;
        }

        if (snapshot.Input is not null)
        {
            snapshot.Input = null;
            snapshot.InputOmitted = true;
        }

        text = JsonSerializer.Serialize(snapshot, RunSnapshotFold.Json);
        return text.Length <= MaxLength ? text : null;
    }
}
