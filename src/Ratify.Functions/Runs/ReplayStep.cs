using Ratify.Connectors;

namespace Ratify.Functions.Runs;

/// <summary>What a replay does with one step: reuse its recorded result or run it, and what running it does to the world.</summary>
/// <param name="Id">The step id.</param>
/// <param name="Action"><see cref="Reuse"/> or <see cref="Run"/>.</param>
/// <param name="SideEffect">The step's declared side effect (its own override, else its connector's; built-in types only read).</param>
/// <param name="Note">Why an approval gate is reused or asks again; null for other steps.</param>
public sealed record ReplayStep(string Id, string Action, SideEffect SideEffect, string? Note = null)
{
    /// <summary>The recorded output (and artifacts) of the original run are taken over.</summary>
    public const string Reuse = "reuse";

    /// <summary>The step executes again in the new run.</summary>
    public const string Run = "run";
}
